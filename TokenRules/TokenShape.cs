using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Platform.TokenRules;

/// <summary>
/// Raw-structure checks on a compact JWS, made before any signature work so malformed or hostile input is refused
/// cheaply (RFC 7515 §4/§5.2, RFC 7519 §7.2, RFC 8725 §3.1, RFC 9068 §4). IdentityModel tolerates what these refuse:
/// duplicate member names (last one wins, so the signed meaning is ambiguous), NumericDates given as strings,
/// header-supplied keys, any <c>crit</c>, and any size the server lets through.
/// </summary>
public static class TokenShape
{
    /// <summary>Far above what Identity issues (about 1 KB) and far below Kestrel's 32 KB header limit.</summary>
    public const int MaxTokenLength = 8 * 1024;

    // Members per JSON object; Identity writes about a dozen. Bounds the duplicate scan and the stack buffer.
    private const int MaxMembers = 32;

    // Root object, then arrays such as aud and role: nothing the platform issues nests deeper.
    private static readonly JsonReaderOptions Reader = new() { MaxDepth = 3 };

    // RFC 4648 §5 without padding; a scan for anything else is vectorized, a per-character loop was a third of the check.
    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <returns>Null when the token may go on to signature validation, otherwise why it is refused.</returns>
    public static TokenRefusal? Check(ReadOnlySpan<char> token)
    {
        if (token.Length > MaxTokenLength)
            return new(TokenRefusalReason.TooLarge, "The token is too large.");
        var firstDot = token.IndexOf('.');
        if (firstDot < 0)
            return new(TokenRefusalReason.NotCompactJws, "The token is not a compact JWS.");
        var rest = token[(firstDot + 1)..];
        var secondDot = rest.IndexOf('.');
        if (secondDot < 0 || rest[(secondDot + 1)..].Contains('.'))
            return new(TokenRefusalReason.NotCompactJws, "The token is not a compact JWS.");

        var header = token[..firstDot];
        var payload = rest[..secondDot];
        var signature = rest[(secondDot + 1)..];
        if (!IsBase64Url(header) || !IsBase64Url(payload) || !IsBase64Url(signature))
            return new(TokenRefusalReason.NotBase64Url, "The token is not base64url encoded.");

        return CheckSegment(header, isHeader: true) ?? CheckSegment(payload, isHeader: false);
    }

    // Unpadded base64url only (RFC 7515 §2): padding, '+', '/' or whitespace are other encodings of the same bytes.
    private static bool IsBase64Url(ReadOnlySpan<char> segment)
    {
        return !segment.IsEmpty && segment.Length % 4 != 1 && !segment.ContainsAnyExcept(Base64UrlAlphabet);
    }

    private static TokenRefusal? CheckSegment(ReadOnlySpan<char> encoded, bool isHeader)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(encoded.Length));
        try
        {
            if (Base64Url.DecodeFromChars(encoded, buffer, out _, out var written) != OperationStatus.Done)
                return new(TokenRefusalReason.NotBase64Url, "The token is not base64url encoded.");
            var json = buffer.AsSpan(0, written);
            if (!Utf8.IsValid(json))
                return new(TokenRefusalReason.NotUtf8, "The token is not UTF-8.");
            return isHeader ? CheckHeader(json) : CheckPayload(json);
        }
        catch (JsonException)
        {
            return new(TokenRefusalReason.NotJson, "The token is not well-formed JSON.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static TokenRefusal? CheckHeader(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Reader);
        var members = new JsonMemberNames(stackalloc Range[MaxMembers]);
        TokenRefusal? problem = null;
        var sawAlg = false;
        var sawTyp = false;
        while (problem is null && NextMember(ref reader, out problem) && (problem = members.Add(reader.ValueSpan, reader.ValueIsEscaped, (int)reader.TokenStartIndex + 1, json)) is null)
        {
            if (reader.ValueTextEquals("alg"u8))
            {
                reader.Read();
                sawAlg = true;
                // RS256 only (RFC 8725 §3.1): none in any spelling, HS*, PS*, ES* and other RSA digests never reach a key.
                if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("RS256"u8))
                    problem = new(TokenRefusalReason.Algorithm, "The token's algorithm is not accepted.");
            }
            else if (reader.ValueTextEquals("typ"u8))
            {
                reader.Read();
                sawTyp = true;
                if (reader.TokenType != JsonTokenType.String || !AccessTokenRules.IsAccessTokenType(reader.GetString()))
                    problem = new(TokenRefusalReason.Type, "The token is not an access token.");
            }
            else if (reader.ValueTextEquals("crit"u8))
            {
                // The platform defines no extension, so any critical one is by definition not understood (RFC 7515 §4.1.11).
                problem = new(TokenRefusalReason.CriticalExtension, "The token requires an unsupported extension.");
            }
            else if (IsKeyBearing(ref reader))
            {
                problem = new(TokenRefusalReason.KeyInHeader, "The token names its own key.");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (problem is null && !sawAlg)
            return new(TokenRefusalReason.Algorithm, "The token's algorithm is not accepted.");
        if (problem is null && !sawTyp)
            return new(TokenRefusalReason.Type, "The token is not an access token.");
        return problem;
    }

    private static TokenRefusal? CheckPayload(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Reader);
        var members = new JsonMemberNames(stackalloc Range[MaxMembers]);
        TokenRefusal? problem = null;
        while (problem is null && NextMember(ref reader, out problem) && (problem = members.Add(reader.ValueSpan, reader.ValueIsEscaped, (int)reader.TokenStartIndex + 1, json)) is null)
        {
            var isDate = IsNumericDate(ref reader);
            reader.Read();
            if (isDate && reader.TokenType != JsonTokenType.Number)
                problem = new(TokenRefusalReason.DateNotNumber, "The token's dates are not numbers.");
            reader.Skip();
        }

        return problem;
    }

    /// <summary>
    /// Advances to the next top-level member name, checking the root is an object. Returns false at the end of the
    /// object or on a problem.
    /// </summary>
    private static bool NextMember(ref Utf8JsonReader reader, out TokenRefusal? problem)
    {
        problem = null;
        if (reader.TokenType == JsonTokenType.None)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = new(TokenRefusalReason.NotJsonObject, "The token's parts are not JSON objects.");
                return false;
            }
        }

        if (!reader.Read())
        {
            problem = new(TokenRefusalReason.NotJsonObject, "The token's parts are not JSON objects.");
            return false;
        }

        if (reader.TokenType == JsonTokenType.EndObject)
        {
            // Trailing content after the object (a second object, garbage) makes the reader throw here.
            while (reader.Read())
            {
            }

            return false;
        }

        return true;
    }

    // Header parameters that name or carry a key; keys come only from Identity's JWKS, so their presence is hostile.
    // Compared as UTF-8 literals: the string overload transcodes its argument on every call.
    private static bool IsKeyBearing(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("jku"u8) || reader.ValueTextEquals("jwk"u8) || reader.ValueTextEquals("x5u"u8) || reader.ValueTextEquals("x5c"u8);

    private static bool IsNumericDate(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("exp"u8) || reader.ValueTextEquals("nbf"u8) || reader.ValueTextEquals("iat"u8);
}
