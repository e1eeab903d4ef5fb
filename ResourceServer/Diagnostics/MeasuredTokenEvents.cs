using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Platform.ResourceServer.Diagnostics;

/// <summary>
/// Wraps the validation events, as <see cref="Tokens.ConfigureJwtBearer"/> installs them, and counts each refusal once,
/// where it happens: a malformed token (MessageReceived), a failed signature or claim check (AuthenticationFailed), or a
/// failed platform check such as the deny-list (TokenValidated). Every call is forwarded unchanged.
/// </summary>
internal sealed class MeasuredTokenEvents(JwtBearerEvents inner, ResourceServerMetrics metrics) : JwtBearerEvents
{
    public override async Task MessageReceived(MessageReceivedContext context)
    {
        await inner.MessageReceived(context);
        if (context.Result?.Failure is not null)
            metrics.TokenRejected(TokenRejectionReasons.Malformed);
    }

    public override async Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        metrics.TokenRejected(TokenRejectionReasons.Of(context.Exception));
        await inner.AuthenticationFailed(context);
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        await inner.TokenValidated(context);
        if (context.Result?.Failure is { } failure)
            metrics.TokenRejected(TokenRejectionReasons.Of(failure));
    }

    public override Task Challenge(JwtBearerChallengeContext context) => inner.Challenge(context);

    public override Task Forbidden(ForbiddenContext context) => inner.Forbidden(context);
}
