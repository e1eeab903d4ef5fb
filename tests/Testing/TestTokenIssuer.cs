using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Platform.Testing;

/// <summary>
/// Plays Identity's key-publishing role over real HTTP: a discovery document and a JWKS for one RSA key, and tokens
/// shaped exactly like Identity's (<see cref="AccessTokenBuilder"/>).
/// </summary>
public sealed class TestTokenIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _jwksRequests;
    private int _discoveryRequests;

    private TestTokenIssuer(WebApplication app, RSA key, string kid)
    {
        _app = app;
        Key = key;
        Kid = kid;
    }

    public RSA Key { get; }

    public string Kid { get; }

    public string Issuer { get; private set; } = "";

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    /// <summary>When set, discovery and JWKS answer 503, as an unreachable Identity would.</summary>
    public bool Down { get; set; }

    public static async Task<TestTokenIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var issuer = new TestTokenIssuer(app, RSA.Create(2048), "test-" + Guid.NewGuid().ToString("N")[..8]);

        app.MapGet("/.well-known/openid-configuration", () => Interlocked.Increment(ref issuer._discoveryRequests) > 0 && issuer.Down
            ? Results.StatusCode(503)
            : Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer.Issuer,
                ["jwks_uri"] = issuer.Issuer + "/.well-known/jwks.json",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }));
        app.MapGet("/.well-known/jwks.json", () =>
        {
            Interlocked.Increment(ref issuer._jwksRequests);
            if (issuer.Down)
                return Results.StatusCode(503);
            var parameters = issuer.Key.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new Dictionary<string, string>
                    {
                        ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = issuer.Kid,
                        ["n"] = Base64Url.EncodeToString(parameters.Modulus), ["e"] = Base64Url.EncodeToString(parameters.Exponent),
                    },
                },
            });
        });
        await app.StartAsync();
        issuer.Issuer = app.Urls.First().TrimEnd('/');
        issuer.Tokens = new AccessTokenBuilder(issuer.Key, issuer.Kid, issuer.Issuer);
        return issuer;
    }

    /// <summary>Mints with this issuer's key and URL; tests also use it to forge what an attacker would send.</summary>
    public AccessTokenBuilder Tokens { get; private set; } = null!;

    /// <summary>A token as Identity issues it; <paramref name="change"/> edits header or claims before signing.</summary>
    public string Mint(Guid? userId = null, Guid? sessionId = null, string scope = AccessTokenBuilder.DefaultScope,
        Action<Dictionary<string, object?>, Dictionary<string, object?>>? change = null, Func<byte[], byte[]>? sign = null,
        string alg = "RS256") =>
        Tokens.Mint(userId, sessionId, scope, alg: alg, change: change, sign: sign ?? SignRs256);

    public byte[] SignRs256(byte[] data) => Tokens.SignRs256(data);

    public static Dictionary<string, string> PublicJwk(RSA key, string kid)
    {
        var parameters = key.ExportParameters(false);
        return new()
        {
            ["kty"] = "RSA", ["kid"] = kid,
            ["n"] = Base64Url.EncodeToString(parameters.Modulus), ["e"] = Base64Url.EncodeToString(parameters.Exponent),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Key.Dispose();
    }
}
