// Namespaces most of this project's files use; a file names only what is particular to it.
global using System.Security.Claims;
global using System.Security.Cryptography;
global using Microsoft.AspNetCore.Identity;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.Options;
global using Platform.Contracts;
global using Platform.Identity.Data;
global using Platform.Identity.Outbox;
global using Platform.Identity.SigningKeys;
