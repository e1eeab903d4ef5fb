using Platform.Platformctl.Output;
using Platform.Platformctl.Tokens;

namespace Platform.Platformctl.Commands;

/// <summary>
/// token inspect: the local, safe alternative to pasting a production token into a website. The token never leaves
/// this process; only Identity's discovery document and JWKS are fetched (and, for the revocation check, the user by id).
/// </summary>
public static class TokenCommands
{
    private static readonly string[] TimeClaims = ["exp", "iat", "nbf"];

    public static Command Create(CommandRunner runner)
    {
        var jwt = new Argument<string?>("jwt")
        {
            Description = "The access token; read from standard input when omitted (preferred: argv is visible to other users)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var audience = new Option<string?>("--audience") { Description = "Also require this audience in aud, as that API would" };
        var inspect = new Command("inspect", "Decode a token and check it against Identity's live keys and the platform's rules") { jwt, audience };
        runner.SetAction(inspect, async (parse, scope, cancellation) =>
        {
            var text = parse.GetValue(jwt);
            if (string.IsNullOrWhiteSpace(text))
            {
                if (scope.Settings.PasswordFromStdin)
                    throw new CliException(ExitCodes.UsageOrUnexpected, "standard input cannot carry both the token and the password: log in first, or set the password in the environment.");
                text = await scope.Context.Stdin.ReadToEndAsync(cancellation);
            }

            if (string.IsNullOrWhiteSpace(text))
                throw new CliException(ExitCodes.UsageOrUnexpected, "no token given: pass it as an argument or on standard input.");

            var token = DecodedToken.Parse(text);
            PrintToken(scope.Out, token);

            var keys = await IdentityKeys.FetchAsync(scope.Api, cancellation);
            var verdict = await TokenVerifier.VerifyAsync(token, keys.Issuer, keys.Keys, scope.Context.Time.GetUtcNow(), parse.GetValue(audience));
            await scope.Out.WriteLineAsync($"Keys:      {keys.Keys.Keys.Count} from {Terminal.Safe(keys.JwksUri.ToString())}");
            if (verdict.Status == TokenStatus.Valid)
                verdict = await WithRevocationAsync(scope, token, verdict, cancellation);

            // The reason may quote the token (its alg or kid).
            await scope.Out.WriteLineAsync($"Verdict:   {verdict.Status.ToString().ToUpperInvariant()}: {Terminal.Safe(verdict.Reason)}");
            return verdict.Status switch
            {
                TokenStatus.Valid => ExitCodes.Success,
                TokenStatus.Expired => ExitCodes.TokenExpired,
                TokenStatus.Revoked => ExitCodes.TokenRevoked,
                _ => ExitCodes.TokenInvalid,
            };
        });
        return new Command("token", "Work with access tokens locally") { inspect };
    }

    private static async Task<TokenVerdict> WithRevocationAsync(OperatorScope scope, DecodedToken token, TokenVerdict verdict, CancellationToken cancellation)
    {
        try
        {
            if (!await scope.Session.TryAuthenticateAsync(cancellation))
            {
                await scope.Out.WriteLineAsync("Revocation: not checked (no operator credentials: run 'platformctl login' or set the operator's e-mail and password).");
                return verdict;
            }

            if (await RevocationCheck.FindRevocationAsync(scope.Session, token, cancellation) is { } revoked)
                return revoked;
            await scope.Out.WriteLineAsync("Revocation: checked with Identity; the session is live and the user active.");
            return verdict;
        }
        catch (CliException failure)
        {
            await scope.Out.WriteLineAsync($"Revocation: could not check ({Terminal.Safe(failure.Message)}).");
            return verdict;
        }
    }

    /// <summary>Names and values are the token's own, chosen by whoever made it, so both are printed terminal-safe.</summary>
    private static void PrintToken(TextWriter output, DecodedToken token)
    {
        output.WriteLine("Header:");
        foreach (var field in token.Header.EnumerateObject())
            output.WriteLine($"  {Terminal.Safe(field.Name)}: {TextTable.Format(field.Value)}");
        output.WriteLine("Claims:");
        foreach (var field in token.Claims.EnumerateObject())
        {
            var time = TimeClaims.Contains(field.Name) && field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetInt64(out var seconds)
                ? $" ({JsonOutput.Timestamp(seconds)})"
                : "";
            output.WriteLine($"  {Terminal.Safe(field.Name)}: {TextTable.Format(field.Value)}{time}");
        }
    }
}
