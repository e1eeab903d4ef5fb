namespace Platform.Platformctl.Http;

/// <summary>Finds an operator access token: the cache when it is still good, otherwise a login with the credentials.</summary>
public sealed class OperatorSession
{
    private readonly IdentityApi _api;
    private readonly OperatorSettings _settings;
    private readonly TokenCache _cache;
    private string? _accessToken;
    private bool _fromCache;

    public OperatorSession(IdentityApi api, OperatorSettings settings, TokenCache cache)
    {
        _api = api;
        _settings = settings;
        _cache = cache;
    }

    /// <summary>Logs in with the operator's credentials, whatever the cache holds, and returns the token's lifetime.</summary>
    public async Task<LoginResult> LoginAsync(CancellationToken cancellation)
    {
        if (string.IsNullOrEmpty(_settings.Email))
        {
            throw new CliException(ExitCodes.MissingConfiguration,
                $"The operator's e-mail is not set: pass --email or set {GlobalOptions.EmailVariable}.");
        }

        if (string.IsNullOrEmpty(_settings.Password))
        {
            throw new CliException(ExitCodes.MissingConfiguration,
                $"The operator's password is not set: pipe it with --password-stdin or set {GlobalOptions.PasswordVariable}.");
        }

        var credentials = new { email = _settings.Email, password = _settings.Password, resource = IdentityApi.OperatorResource };
        var body = await _api.PostAsync("auth/login", credentials, "login", null, cancellation)
            ?? throw new CliException(ExitCodes.Rejected, "login failed: Identity answered without a body.");
        var token = body.TryGetProperty("accessToken", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new CliException(ExitCodes.Rejected, "login failed: Identity's answer holds no accessToken.");
        var expiresIn = body.TryGetProperty("expiresIn", out var seconds) && seconds.TryGetInt32(out var s) ? s : 60;
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(expiresIn);

        _accessToken = token;
        _fromCache = false;
        if (_settings.UseCache)
            _cache.Write(new CachedToken(_api.BaseAddress.ToString(), _settings.Email, token, expiresAt, IdentityApi.OperatorResource));
        return new LoginResult(expiresAt, _settings.UseCache ? _cache.FilePath : null);
    }

    /// <summary>Calls Identity as the operator; a cached token that was refused is dropped and replaced by a login once.</summary>
    public async Task<JsonElement?> CallAsync(HttpMethod method, string path, object? body, string action, CancellationToken cancellation) =>
        (await CallForAnswerAsync(method, path, body, action, cancellation)).Body;

    /// <inheritdoc cref="CallAsync"/>
    public async Task<ApiAnswer> CallForAnswerAsync(HttpMethod method, string path, object? body, string action, CancellationToken cancellation)
    {
        var token = await AccessTokenAsync(cancellation);
        try
        {
            return await _api.SendForAnswerAsync(method, path, body, action, token, cancellation);
        }
        catch (CliException failure) when (failure.ExitCode == ExitCodes.Unauthorized && _fromCache)
        {
            _cache.Delete();
            if (!CanLogIn)
                throw new CliException(ExitCodes.Unauthorized, $"{action} failed: the cached operator token was refused; run 'platformctl login' again.");
            await LoginAsync(cancellation);
            return await _api.SendForAnswerAsync(method, path, body, action, _accessToken, cancellation);
        }
    }

    /// <summary>Whether an operator token is at hand without prompting (used by token inspect's optional revocation check).</summary>
    public async Task<bool> TryAuthenticateAsync(CancellationToken cancellation)
    {
        if (CachedToken() is not null || CanLogIn)
        {
            await AccessTokenAsync(cancellation);
            return true;
        }

        return false;
    }

    public string? CachedToken() =>
        _settings.UseCache ? _cache.Read(_api.BaseAddress, _settings.Email, DateTimeOffset.UtcNow)?.AccessToken : null;

    private bool CanLogIn => !string.IsNullOrEmpty(_settings.Email) && (_settings.PasswordFromStdin || _settings.HasCredentials);

    private async Task<string> AccessTokenAsync(CancellationToken cancellation)
    {
        if (_accessToken is not null)
            return _accessToken;
        if (CachedToken() is { } cached)
        {
            _accessToken = cached;
            _fromCache = true;
            return cached;
        }

        if (!CanLogIn)
        {
            throw new CliException(ExitCodes.MissingConfiguration,
                $"Not logged in: run 'platformctl login', or set {GlobalOptions.EmailVariable} and {GlobalOptions.PasswordVariable} (or use --password-stdin).");
        }

        await LoginAsync(cancellation);
        return _accessToken!;
    }
}

public sealed record LoginResult(DateTimeOffset ExpiresAt, string? CachedIn);
