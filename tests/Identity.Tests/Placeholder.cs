namespace Platform.Identity.Tests;

internal static class AssemblyMarker;
