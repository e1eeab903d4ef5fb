namespace Platform.TokenRules;

/// <summary>
/// Why a token is refused: a stable <see cref="Reason"/> for code (metric tags, platformctl's explanations) and a fixed
/// <see cref="Message"/> for logs. Neither ever repeats any part of the token.
/// </summary>
public readonly record struct TokenRefusal(TokenRefusalReason Reason, string Message);

/// <summary>Every way the platform's own checks refuse a token; IdentityModel's refusals are its exception types.</summary>
public enum TokenRefusalReason
{
    // Raw structure (TokenShape), judged before any signature work.
    TooLarge = 1,
    NotCompactJws,
    NotBase64Url,
    NotUtf8,
    NotJson,
    NotJsonObject,
    MemberNameEscaped,
    DuplicateMember,
    TooManyMembers,
    Algorithm,
    Type,
    CriticalExtension,
    KeyInHeader,
    DateNotNumber,

    // Claims of a verified token (AccessTokenClaims) and the checks a validator adds on top of them.
    MissingClaim,
    Issuer,
    IssuedInFuture,
    LifetimeTooLong,
    Revoked,

    // Signed with a key its issuer withdrew before its time: refused whatever the token says.
    KeyRevoked,
}
