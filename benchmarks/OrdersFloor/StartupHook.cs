using System.Reflection;
using System.Runtime.Loader;

#pragma warning disable CA1050 // The runtime looks the hook up by this exact name, outside any namespace.

/// <summary>
/// Runs before Orders' Main when named in DOTNET_STARTUP_HOOKS. It only makes this assembly resolvable by name: the
/// hosting-startup loader asks for it by name, and Orders' dependency list does not know it.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var self = typeof(StartupHook).Assembly;
        AssemblyLoadContext.Default.Resolving += (_, name) =>
            AssemblyName.ReferenceMatchesDefinition(name, self.GetName()) ? self : null;
    }
}
