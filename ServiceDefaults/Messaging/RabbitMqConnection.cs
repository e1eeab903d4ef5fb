using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Platform.ServiceDefaults.Configuration;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// The broker named by <c>ConnectionStrings:RabbitMq</c>: <c>amqp://user:pass@host:port/vhost</c>, or <c>amqps://</c>
/// for TLS. One parser for every service and library, so they cannot disagree on what a valid setting is.
/// </summary>
public sealed class RabbitMqConnection
{
    public const string ConnectionStringName = "RabbitMq";

    private RabbitMqConnection(string host, ushort port, string virtualHost, bool useTls, string? username, string? password)
    {
        Host = host;
        Port = port;
        VirtualHost = virtualHost;
        UseTls = useTls;
        Username = username;
        Password = password;
    }

    public string Host { get; }

    /// <summary>The URI's port, else AMQP's default for the scheme (5672, or 5671 with TLS).</summary>
    public ushort Port { get; }

    /// <summary>The unescaped path, <c>/</c> when the URI has none.</summary>
    public string VirtualHost { get; }

    public bool UseTls { get; }

    /// <summary>Null when the URI has none: the client then uses its default account.</summary>
    public string? Username { get; }

    // Internal and left out of ToString, so the password can only reach the client, never a log.
    internal string? Password { get; }

    /// <summary>Reads and checks <c>ConnectionStrings:RabbitMq</c>; a service calls this while it is composed.</summary>
    /// <exception cref="InvalidOperationException">The setting is missing or not an amqp(s) URI; the message names
    /// the setting and never repeats its value.</exception>
    public static RabbitMqConnection FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return TryParse(configuration.GetConnectionString(ConnectionStringName), out var connection)
            ? connection
            : throw new InvalidOperationException(
                $"{ConnectionStrings.SettingName(ConnectionStringName)} must be an amqp://user:pass@host:port/vhost URI (amqps:// for TLS).");
    }

    public static bool TryParse(string? value, [NotNullWhen(true)] out RabbitMqConnection? connection)
    {
        connection = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || uri.Host.Length == 0)
            return false;

        var useTls = uri.Scheme == "amqps";
        // An amqp URI without a port reports -1 (the scheme is unknown to Uri); 0 is no port a broker listens on.
        if (uri.Port == 0)
            return false;
        var port = uri.Port < 0 ? (useTls ? 5671 : 5672) : uri.Port;

        var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var credentials = uri.UserInfo.Split(':', 2);
        var username = Uri.UnescapeDataString(credentials[0]);
        connection = new RabbitMqConnection(
            uri.Host,
            (ushort)port,
            virtualHost.Length == 0 ? "/" : virtualHost,
            useTls,
            username.Length == 0 ? null : username,
            credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null);
        return true;
    }

    /// <summary>Where the broker is, without the credentials.</summary>
    public override string ToString() => $"{(UseTls ? "amqps" : "amqp")}://{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";
}
