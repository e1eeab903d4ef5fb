// What most files of this suite use; a file names only what is particular to it.
global using System.Net;
global using System.Net.Http.Headers;
global using System.Net.Http.Json;
global using System.Security.Cryptography;
global using System.Text;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Time.Testing;
global using Microsoft.IdentityModel.Tokens;
global using Platform.Contracts;
global using Platform.ResourceServer.Diagnostics;
global using Platform.ResourceServer.Revocation;
global using Platform.ResourceServer.Tests.Infrastructure;
global using Platform.ResourceServer.Tokens;
