using System.Net;
using System.Net.Sockets;

namespace Platform.Identity.Accounts;

/// <summary>
/// The network a client is counted in for wrong passwords: its IPv4 /24 or its IPv6 /64. One address is too narrow,
/// since a household, an office behind NAT or an IPv6 host's privacy addresses come from many addresses of one
/// network, and an attacker can hop between them.
/// </summary>
public static class ClientNetwork
{
    /// <summary>Every client whose address is unknown (no socket address, e.g. a Unix socket) shares this one.</summary>
    public const string Unknown = "unknown";

    /// <summary>
    /// The network of the request's client, taken from the connection's address as the rate limiter takes it, so
    /// behind a trusted proxy it is the forwarded client's.
    /// </summary>
    public static string Of(HttpContext context) => Of(context.Connection.RemoteIpAddress);

    public static string Of(IPAddress? address)
    {
        if (address is null)
            return Unknown;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        var prefix = address.AddressFamily == AddressFamily.InterNetwork ? 24 : 64;
        Array.Clear(bytes, prefix / 8, bytes.Length - prefix / 8);
        // Rebuilt from bytes, so an IPv6 scope id is dropped with the host part.
        return $"{new IPAddress(bytes)}/{prefix}";
    }
}
