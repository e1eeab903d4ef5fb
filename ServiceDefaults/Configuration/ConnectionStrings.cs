using Microsoft.Extensions.Configuration;

namespace Platform.ServiceDefaults.Configuration;

/// <summary>
/// Connection strings are read and checked while the service is composed, so a missing one stops the start at once
/// with a message naming the setting in its configuration and environment-variable spellings, never its value
/// (which can hold a password).
/// </summary>
public static class ConnectionStrings
{
    /// <summary>How an operator finds the setting: <c>ConnectionStrings:Orders (ConnectionStrings__Orders)</c>.</summary>
    public static string SettingName(string name) => $"ConnectionStrings:{name} (ConnectionStrings__{name})";

    /// <exception cref="InvalidOperationException">The connection string is missing or blank.</exception>
    public static string GetRequiredConnectionString(this IConfiguration configuration, string name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration.GetConnectionString(name);
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException($"{SettingName(name)} is not set.")
            : value;
    }
}
