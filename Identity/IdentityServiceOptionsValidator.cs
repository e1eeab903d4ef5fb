using System.Net;

namespace Platform.Identity;

/// <summary>Refuses to start with settings that would make tokens unverifiable or keys unsafe.</summary>
internal sealed class IdentityServiceOptionsValidator(IHostEnvironment environment) : IValidateOptions<IdentityServiceOptions>
{
    // Beyond this one request's transaction holds too many rows, and its list no longer fits the default body limit.
    private const int MaxBulkDeactivationCeiling = 100_000;

    public ValidateOptionsResult Validate(string? name, IdentityServiceOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out var issuer) || (issuer.Scheme != "https" && issuer.Scheme != "http"))
            failures.Add("Identity:Issuer must be an absolute http(s) URL (Identity's public base URL).");
        if (options.AccessTokenLifetime < TimeSpan.FromMinutes(1) || options.AccessTokenLifetime > TimeSpan.FromHours(1))
            failures.Add("Identity:AccessTokenLifetime must be between 00:01:00 and 01:00:00.");
        if (options.RefreshTokenLifetime <= options.AccessTokenLifetime)
            failures.Add("Identity:RefreshTokenLifetime must be longer than Identity:AccessTokenLifetime.");
        if (options.Audiences is not { Length: > 0 } || options.Audiences.Any(string.IsNullOrWhiteSpace))
            failures.Add("Identity:Audiences must name at least one audience.");
        if (string.IsNullOrWhiteSpace(options.OwnAudience))
            failures.Add("Identity:OwnAudience must name Identity's own audience (e.g. identity).");
        else if (options.Audiences?.Contains(options.OwnAudience, StringComparer.Ordinal) == true)
            failures.Add("Identity:OwnAudience must not be one of Identity:Audiences: every token would then be accepted by the operator API.");
        var keys = options.SigningKeys;
        if (keys.JwksMaxAge <= TimeSpan.Zero)
            failures.Add("Identity:SigningKeys:JwksMaxAge must be positive.");
        if (keys.PropagationTime < 2 * keys.JwksMaxAge)
            failures.Add("Identity:SigningKeys:PropagationTime must be at least twice Identity:SigningKeys:JwksMaxAge, or validators would meet unknown keys.");
        if (keys.KeyLifetime <= keys.PropagationTime)
            failures.Add("Identity:SigningKeys:KeyLifetime must be longer than the propagation time.");
        if (keys.CheckInterval <= TimeSpan.Zero)
            failures.Add("Identity:SigningKeys:CheckInterval must be positive.");
        if (options.RateLimit.PermitLimit < 1 || options.RateLimit.PasswordPermitLimit < 1 || options.RateLimit.Window <= TimeSpan.Zero)
            failures.Add("Identity:RateLimit:PermitLimit, :PasswordPermitLimit and :Window must be positive.");
        if (options.RateLimit.TrustedProxies.Any(proxy => !IPAddress.TryParse(proxy, out _) && !IPNetwork.TryParse(proxy, out _)))
            failures.Add("Identity:RateLimit:TrustedProxies must hold IP addresses or CIDR networks (e.g. 10.0.0.0/8).");
        if (options.Outbox.MaxAttempts is < 1 or > 1000)
            failures.Add("Identity:Outbox:MaxAttempts must be between 1 and 1000.");
        if (options.Admin.MaxBulkDeactivation is < 1 or > MaxBulkDeactivationCeiling)
            failures.Add($"Identity:Admin:MaxBulkDeactivation must be between 1 and {MaxBulkDeactivationCeiling}.");
        if (string.IsNullOrWhiteSpace(options.BootstrapAdmin.Email) || !options.BootstrapAdmin.Email.Contains('@', StringComparison.Ordinal))
            failures.Add("Identity:BootstrapAdmin:Email must be an e-mail address.");
        if (string.IsNullOrWhiteSpace(options.KeyEncryptionKey) && string.IsNullOrWhiteSpace(options.KeyEncryptionKeyFile) && !environment.IsDevelopment())
            failures.Add("Identity:KeyEncryptionKey (base64, 32 bytes) or Identity:KeyEncryptionKeyFile is required outside Development: signing keys are stored encrypted with it.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
