// What most files of this suite use; a file names only what is particular to it.
global using System.Net;
global using System.Net.Http.Json;
global using Microsoft.AspNetCore.Hosting;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.DependencyInjection;
global using Platform.Contracts;
global using Platform.Identity.Data;
global using Platform.Identity.Tests.Infrastructure;
