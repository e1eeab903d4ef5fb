namespace Platform.ResourceServer.Tokens;

/// <summary>
/// A refusal by the platform's own checks, as JwtBearer's failure: the metrics read its <see cref="Refusal"/>'s reason,
/// so rewording a message never moves a metric label.
/// </summary>
internal sealed class TokenRefusedException(TokenRefusal refusal) : Exception(refusal.Message)
{
    public TokenRefusal Refusal { get; } = refusal;
}
