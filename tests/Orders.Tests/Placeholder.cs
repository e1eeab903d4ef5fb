namespace Platform.Orders.Tests;

internal static class AssemblyMarker;
