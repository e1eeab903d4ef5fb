// Namespaces most of this project's files use; a file names only what is particular to it.
global using System.Globalization;
global using System.Security.Cryptography;
global using System.Text;
global using Microsoft.IdentityModel.Tokens;
global using Platform.Testing;
