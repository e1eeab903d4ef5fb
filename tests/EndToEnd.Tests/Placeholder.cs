namespace Platform.EndToEnd.Tests;

internal static class AssemblyMarker;
