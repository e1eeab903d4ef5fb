// Namespaces most of this project's files use; a file names only what is particular to it.
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Options;
global using Platform.Contracts;
global using Platform.ResourceServer.Revocation;
global using Platform.TokenRules;
