// Namespaces most of this project's files use; a file names only what is particular to it.
global using System.CommandLine;
global using System.Globalization;
global using System.Text.Json;
global using Platform.Platformctl.Cli;
