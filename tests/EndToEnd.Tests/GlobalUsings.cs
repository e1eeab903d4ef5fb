// What most files of this suite use; a file names only what is particular to it.
global using System.Net;
global using Platform.EndToEnd.Tests.Client;
global using Platform.EndToEnd.Tests.Stack;
global using Xunit.Abstractions;
