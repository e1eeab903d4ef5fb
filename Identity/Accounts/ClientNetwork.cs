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

    public static string Of(IPAddress? address) => Of(address, ipv4PrefixLength: 24);

    /// <summary>
    /// The network of <paramref name="address"/>: its IPv4 prefix of <paramref name="ipv4PrefixLength"/> bits (a
    /// multiple of 8; an IPv4-mapped IPv6 address counts as IPv4), or its IPv6 /64, the smallest network one
    /// subscriber is usually given.
    /// </summary>
    public static string Of(IPAddress? address, int ipv4PrefixLength)
    {
        if (address is null)
            return Unknown;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        var prefix = address.AddressFamily == AddressFamily.InterNetwork ? ipv4PrefixLength : 64;
        Array.Clear(bytes, prefix / 8, bytes.Length - prefix / 8);
        // Rebuilt from bytes, so an IPv6 scope id is dropped with the host part.
        return $"{new IPAddress(bytes)}/{prefix}";
    }
}
