using System.Text.Json.Nodes;

namespace Platform.Identity.SharedSignals;

/// <summary>
/// One security event about a subject, before it is addressed to any stream: its type URI, its RFC 9493 subject
/// (the SET's <c>sub_id</c>) and its event members. Subjects name users and sessions by their ids only.
/// </summary>
public sealed record SecurityEvent(string Type, JsonObject Subject, JsonObject Members)
{
    /// <summary>The stored form of a delivery row: what the signer needs besides iss, aud, jti and iat.</summary>
    public string ToPayload() => new JsonObject { ["sub_id"] = Subject.DeepClone(), ["event"] = Members.DeepClone() }.ToJsonString();

    /// <summary>The events that bus messages already announce; null for messages with no security event.</summary>
    public static SecurityEvent? From(object message) => message switch
    {
        SessionRevoked revoked => new(SsfEventTypes.SessionRevoked, SessionSubject(revoked.UserId, revoked.SessionId), new JsonObject
        {
            ["event_timestamp"] = revoked.RevokedAt.ToUnixTimeSeconds(),
            ["initiating_entity"] = InitiatingEntity(revoked.Reason),
            ["reason_admin"] = new JsonObject { ["en"] = revoked.Reason },
        }),
        // The operator's free-text reason stays out: it may name a person.
        UserDeactivated deactivated => new(SsfEventTypes.AccountDisabled, UserSubject(deactivated.UserId), Timestamp(deactivated.DeactivatedAt)),
        _ => null,
    };

    public static SecurityEvent AccountEnabled(Guid userId, DateTimeOffset at) => new(SsfEventTypes.AccountEnabled, UserSubject(userId), Timestamp(at));

    /// <summary>A password set by its owner (change) or through a reset code: either way a new value of the same credential.</summary>
    public static SecurityEvent PasswordChanged(Guid userId, DateTimeOffset at)
    {
        var members = Timestamp(at);
        members["credential_type"] = "password";
        members["change_type"] = "update";
        return new(SsfEventTypes.CredentialChange, UserSubject(userId), members);
    }

    /// <summary>The <c>role</c> claim's new value: what the user's next tokens will carry.</summary>
    public static SecurityEvent RolesChanged(Guid userId, IEnumerable<string> roles, DateTimeOffset at)
    {
        var members = Timestamp(at);
        members["claims"] = new JsonObject { ["role"] = new JsonArray([.. roles.Order(StringComparer.Ordinal).Select(r => JsonValue.Create(r))]) };
        return new(SsfEventTypes.TokenClaimsChange, UserSubject(userId), members);
    }

    /// <summary>SSF 1.0 §8.1.4.1: the subject is the stream itself; <c>state</c> echoes the receiver's value.</summary>
    public static SecurityEvent Verification(Guid streamId, string? state)
    {
        var members = new JsonObject();
        if (state is not null)
            members["state"] = state;
        return new(SsfEventTypes.Verification, Opaque(streamId), members);
    }

    private static JsonObject UserSubject(Guid userId) => Opaque(userId);

    private static JsonObject SessionSubject(Guid userId, Guid sessionId) => new()
    {
        ["format"] = "complex",
        ["user"] = Opaque(userId),
        ["session"] = Opaque(sessionId),
    };

    private static JsonObject Opaque(Guid id) => new() { ["format"] = "opaque", ["id"] = id.ToString() };

    private static JsonObject Timestamp(DateTimeOffset at) => new() { ["event_timestamp"] = at.ToUnixTimeSeconds() };

    // CAEP 1.0 §2: who or what ended the session.
    private static string InitiatingEntity(string reason) => reason switch
    {
        SessionRevokedReasons.Logout or SessionRevokedReasons.PasswordChange or SessionRevokedReasons.PasswordReset => "user",
        SessionRevokedReasons.Admin or SessionRevokedReasons.Deactivated or SessionRevokedReasons.RolesChanged => "admin",
        _ => "policy",
    };
}
