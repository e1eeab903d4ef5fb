// What most files of this suite use; a file names only what is particular to it.
global using System.Collections.Concurrent;
global using System.Diagnostics;
global using System.Net;
global using System.Net.Http.Json;
global using System.Security.Cryptography;
global using System.Text;
global using System.Text.Json;
global using System.Text.Json.Nodes;
global using Platform.Contracts;
global using Platform.EndToEnd.Tests.Client;
global using Platform.EndToEnd.Tests.Stack;
global using Xunit.Abstractions;
