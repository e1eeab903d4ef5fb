using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Platform.ServiceDefaults.Configuration;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// The broker named by <c>ConnectionStrings:RabbitMq</c>: <c>amqp://user:pass@host:port/vhost</c>, or <c>amqps://</c>
/// for TLS. A cluster lists its nodes, comma-separated, where the one host goes:
/// <c>amqp://user:pass@rabbit1:5672,rabbit2:5672,rabbit3/vhost</c>; the services connect to the first node that
/// answers and move to another when theirs is lost. One parser for every service and library, so they cannot disagree
/// on what a valid setting is.
/// </summary>
public sealed class RabbitMqConnection
{
    public const string ConnectionStringName = "RabbitMq";

    private RabbitMqConnection(IReadOnlyList<RabbitMqNode> nodes, string virtualHost, bool useTls, string? username, string? password)
    {
        Nodes = nodes;
        VirtualHost = virtualHost;
        UseTls = useTls;
        Username = username;
        Password = password;
    }

    /// <summary>Every node listed, in the order given: the order connections try them in.</summary>
    public IReadOnlyList<RabbitMqNode> Nodes { get; }

    /// <summary>The first node's host.</summary>
    public string Host => Nodes[0].Host;

    /// <summary>The first node's port: the URI's, else AMQP's default for the scheme (5672, or 5671 with TLS).</summary>
    public ushort Port => Nodes[0].Port;

    public bool IsCluster => Nodes.Count > 1;

    /// <summary>The unescaped path, <c>/</c> when the URI has none.</summary>
    public string VirtualHost { get; }

    public bool UseTls { get; }

    /// <summary>Null when the URI has none: the client then uses its default account.</summary>
    public string? Username { get; }

    // Internal and left out of ToString, so the password can only reach the client, never a log.
    internal string? Password { get; }

    /// <summary>Reads and checks <c>ConnectionStrings:RabbitMq</c>; a service calls this while it is composed.</summary>
    /// <exception cref="InvalidOperationException">The setting is missing or not an amqp(s) URI; the message names
    /// the setting and what is wrong, and never repeats its value.</exception>
    public static RabbitMqConnection FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Parse(configuration.GetConnectionString(ConnectionStringName), out var connection) is { } problem
            ? throw new InvalidOperationException(
                $"{ConnectionStrings.SettingName(ConnectionStringName)} {problem}: it must be an amqp://user:pass@host:port/vhost URI " +
                "(amqps:// for TLS), or for a cluster amqp://user:pass@host1:port1,host2:port2,host3:port3/vhost.")
            : connection!;
    }

    public static bool TryParse(string? value, [NotNullWhen(true)] out RabbitMqConnection? connection) =>
        Parse(value, out connection) is null;

    /// <summary>Where the broker is, without the credentials.</summary>
    public override string ToString() =>
        $"{(UseTls ? "amqps" : "amqp")}://{string.Join(',', Nodes)}/{Uri.EscapeDataString(VirtualHost)}";

    // The problem, in words that never quote the value (a misplaced character could make part of a password look
    // like a host), or null with the connection.
    private static string? Parse(string? value, out RabbitMqConnection? connection)
    {
        connection = null;
        if (string.IsNullOrWhiteSpace(value))
            return "is not set";
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : value[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("amqp" or "amqps"))
            return "does not start with amqp:// or amqps://";

        // The authority ends where the path, query or fragment begins; the credentials end at its last '@'.
        var rest = value[(schemeEnd + 3)..];
        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var tail = authorityEnd < 0 ? "" : rest[authorityEnd..];
        var at = authority.LastIndexOf('@');
        var userInfo = at < 0 ? "" : authority[..(at + 1)];
        var hosts = (at < 0 ? authority : authority[(at + 1)..]).Split(',');

        var useTls = scheme == "amqps";
        var nodes = new List<RabbitMqNode>(hosts.Length);
        Uri? first = null;
        for (var i = 0; i < hosts.Length; i++)
        {
            // Each node is read as the single-host URI it would be on its own, so one node reads as it always has.
            if (hosts[i].Length == 0 || !Uri.TryCreate($"{scheme}://{userInfo}{hosts[i]}{tail}", UriKind.Absolute, out var uri)
                || uri.Host.Length == 0 || uri.Port == 0)
                return hosts.Length == 1 ? "has no valid host[:port]" : $"has no valid host[:port] as node {i + 1} of {hosts.Length}";
            if (hosts.Length > 1 && uri.HostNameType == UriHostNameType.IPv6)
                return $"lists an IPv6 address as node {i + 1} of {hosts.Length}; a cluster's nodes are named by host name or IPv4 address";
            // An amqp URI without a port reports -1 (the scheme is unknown to Uri); 0 is no port a broker listens on.
            var node = new RabbitMqNode(uri.Host, (ushort)(uri.Port < 0 ? (useTls ? 5671 : 5672) : uri.Port));
            if (nodes.Contains(node))
                return $"lists node {i + 1} of {hosts.Length} twice";
            nodes.Add(node);
            first ??= uri;
        }

        var virtualHost = Uri.UnescapeDataString(first!.AbsolutePath.TrimStart('/'));
        var credentials = first.UserInfo.Split(':', 2);
        var username = Uri.UnescapeDataString(credentials[0]);
        connection = new RabbitMqConnection(
            nodes,
            virtualHost.Length == 0 ? "/" : virtualHost,
            useTls,
            username.Length == 0 ? null : username,
            credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null);
        return null;
    }
}

/// <summary>One broker node of <see cref="RabbitMqConnection"/>.</summary>
public sealed record RabbitMqNode(string Host, ushort Port)
{
    public override string ToString() => $"{Host}:{Port}";
}
