using System.Buffers.Text;

namespace Platform.Platformctl.Tokens;

/// <summary>A JWT's header and claims, read without trusting them: nothing here says the token is genuine.</summary>
public sealed class DecodedToken
{
    private DecodedToken(string raw, JsonElement header, JsonElement claims)
    {
        Raw = raw;
        Header = header;
        Claims = claims;
    }

    public string Raw { get; }

    public JsonElement Header { get; }

    public JsonElement Claims { get; }

    public string? Algorithm => Text(Header, "alg");

    public string? KeyId => Text(Header, "kid");

    public string? Subject => Text(Claims, "sub");

    public string? SessionId => Text(Claims, "sid");

    /// <summary>A service client's own token: no session, and its <c>client_id</c> is its <c>sub</c>.</summary>
    public bool IsClientToken => SessionId is null && Text(Claims, "client_id") is { } clientId && clientId == Subject;

    public long? IssuedAt => Seconds("iat");

    public long? Seconds(string claim) =>
        Claims.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? seconds
            : null;

    /// <summary>Decodes a compact JWS. Error messages never repeat the input: it may be a live production token.</summary>
    public static DecodedToken Parse(string token)
    {
        var raw = token.Trim();
        var parts = raw.Split('.');
        if (parts.Length != 3)
        {
            throw new CliException(ExitCodes.TokenInvalid,
                parts.Length == 5 ? "the token is encrypted (JWE); platform access tokens are signed JWTs." : "the input is not a JWT (expected three dot-separated parts).");
        }

        return new DecodedToken(raw, DecodeJsonObject(parts[0], "header"), DecodeJsonObject(parts[1], "claims"));
    }

    public static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement DecodeJsonObject(string part, string what)
    {
        try
        {
            var bytes = Base64Url.DecodeFromChars(part);
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new CliException(ExitCodes.TokenInvalid, $"the token's {what} is not a JSON object.");
        }
        catch (FormatException)
        {
            throw new CliException(ExitCodes.TokenInvalid, $"the token's {what} is not valid base64url.");
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.TokenInvalid, $"the token's {what} is not valid JSON.");
        }
    }
}
