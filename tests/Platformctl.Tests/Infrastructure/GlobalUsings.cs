// What most files of this suite use; a file names only what is particular to it.
global using System.Net;
global using Platform.Platformctl.Cli;
global using Platform.Platformctl.Tests.Infrastructure;
