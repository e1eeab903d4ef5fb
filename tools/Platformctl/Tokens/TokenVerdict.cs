namespace Platform.Platformctl.Tokens;

public enum TokenStatus
{
    Valid,
    Invalid,
    Expired,
    Revoked,
}

/// <summary>What the platform's validators would decide about a token, and why.</summary>
public sealed record TokenVerdict(TokenStatus Status, string Reason)
{
    public static TokenVerdict Valid(string reason) => new(TokenStatus.Valid, reason);

    public static TokenVerdict Invalid(string reason) => new(TokenStatus.Invalid, reason);
}
