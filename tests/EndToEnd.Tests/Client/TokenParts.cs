using System.Buffers.Text;

namespace Platform.EndToEnd.Tests.Client;

/// <summary>What a client may read from a JWT without validating it: the header's kid, and the parts themselves.</summary>
public static class TokenParts
{
    public static string KidOf(string jwt)
    {
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[0]));
        return header.RootElement.GetProperty("kid").GetString() ?? throw new InvalidOperationException("The token's header has no kid.");
    }

    public static string SignatureOf(string jwt) => jwt.Split('.')[2];
}
