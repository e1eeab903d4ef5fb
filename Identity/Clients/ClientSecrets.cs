using System.Buffers.Text;

namespace Platform.Identity.Clients;

/// <summary>Client secrets: 256 random bits, shown once, kept only as their SHA-256.</summary>
public static class ClientSecrets
{
    /// <summary>Far above a generated secret (43 characters); longer input is refused before it is hashed.</summary>
    public const int MaxLength = 256;

    public static string Generate() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    /// <summary>In fixed time, so the comparison tells nothing about how much of a guess was right.</summary>
    public static bool Matches(string presented, byte[] hash) =>
        presented.Length <= MaxLength && CryptographicOperations.FixedTimeEquals(Hash(presented), hash);
}
