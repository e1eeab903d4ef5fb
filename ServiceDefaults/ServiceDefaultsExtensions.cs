namespace Platform.ServiceDefaults;

/// <summary>The defaults every service of the platform composes in its Program.cs.</summary>
public static class ServiceDefaultsExtensions
{
}
