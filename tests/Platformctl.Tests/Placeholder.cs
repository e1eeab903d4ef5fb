namespace Platform.Platformctl.Tests;

internal static class AssemblyMarker;
