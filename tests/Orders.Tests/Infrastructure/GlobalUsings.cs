// What most files of this suite use; a file names only what is particular to it.
global using System.Net;
global using System.Net.Http.Headers;
global using System.Net.Http.Json;
global using System.Text.Json;
global using Platform.Orders.Tests.Infrastructure;
