using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Platform.Identity.Tests.SharedSignals;

/// <summary>
/// A Shared Signals receiver as a team outside the platform's library would write one: a real HTTP listener that takes
/// pushed SETs, verifies each against the JWKS named by Identity's SSF configuration (signature, typ, iss, aud, age),
/// drops a replayed jti, keeps its own revoked sessions and disabled users, and enforces them on its own <c>/ping</c>.
/// </summary>
public sealed class TestReceiver : IAsyncDisposable
{
    public const string EventsPath = "/events";
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly WebApplication _app;
    private readonly Func<DateTimeOffset> _now;
    private readonly ConcurrentDictionary<string, byte> _seen = new();
    private readonly ConcurrentDictionary<Guid, byte> _revokedSessions = new();
    private readonly ConcurrentDictionary<Guid, byte> _disabledUsers = new();
    private int _duplicates;
    private int _requests;

    private TestReceiver(WebApplication app, string audience, IReadOnlyCollection<SecurityKey> keys, Func<DateTimeOffset> now)
    {
        _app = app;
        Audience = audience;
        Keys = keys;
        _now = now;
    }

    public string Audience { get; }

    public IReadOnlyCollection<SecurityKey> Keys { get; }

    public string Url { get; private set; } = "";

    public string EventsUrl => Url + EventsPath;

    /// <summary>Every SET accepted, once per jti, in arrival order.</summary>
    public ConcurrentQueue<ReceivedSet> Accepted { get; } = new();

    public int Duplicates => Volatile.Read(ref _duplicates);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Answers a push before it is verified, by its number (1-based); null lets the SET through.</summary>
    public Func<int, Task<IResult?>> Before { get; set; } = _ => Task.FromResult<IResult?>(null);

    /// <summary>Finds the JWKS through Identity's SSF configuration, then listens on a free port.</summary>
    public static async Task<TestReceiver> StartAsync(HttpClient identity, string audience, Func<DateTimeOffset> now)
    {
        var configuration = await identity.GetFromJsonAsync<JsonElement>("/.well-known/ssf-configuration");
        var jwksUri = new Uri(configuration.GetProperty("jwks_uri").GetString()!);
        var jwks = new JsonWebKeySet(await identity.GetStringAsync(jwksUri.PathAndQuery));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new TestReceiver(builder.Build(), audience, [.. jwks.GetSigningKeys()], now);
        receiver._app.MapPost(EventsPath, receiver.ReceiveAsync);
        receiver._app.MapGet("/ping", receiver.PingAsync);
        await receiver._app.StartAsync();
        receiver.Url = receiver._app.Urls.First().TrimEnd('/');
        return receiver;
    }

    public bool IsSessionRevoked(Guid sessionId) => _revokedSessions.ContainsKey(sessionId);

    public bool IsUserDisabled(Guid userId) => _disabledUsers.ContainsKey(userId);

    public ReceivedSet? Find(string eventType, Func<ReceivedSet, bool>? match = null) =>
        Accepted.FirstOrDefault(s => s.EventType == eventType && (match is null || match(s)));

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        if (await Before(Interlocked.Increment(ref _requests)) is { } early)
            return early;
        if (request.ContentType != "application/secevent+jwt")
            return Error("invalid_request", "Content-Type must be application/secevent+jwt.");
        using var reader = new StreamReader(request.Body);
        return await ApplyAsync(await reader.ReadToEndAsync());
    }

    /// <summary>Verifies and applies one SET, answering as RFC 8935 §2.2–2.3 asks.</summary>
    public async Task<IResult> ApplyAsync(string set)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(set, new TokenValidationParameters
        {
            ValidIssuer = IdentityApp.Issuer,
            ValidAudience = Audience,
            IssuerSigningKeys = Keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["secevent+jwt"],
            // A SET has no exp (SSF 1.0 §4.1.8); its age is judged by iat below.
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        if (!result.IsValid)
            return Error(result.Exception is SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException ? "invalid_key" : "invalid_request", "The SET is not valid.");
        var token = (JsonWebToken)result.SecurityToken;
        var age = _now() - token.IssuedAt;
        if (age > MaxAge || age < -TimeSpan.FromSeconds(30))
            return Error("invalid_request", "The SET is too old or from the future.");
        if (!_seen.TryAdd(token.Id, 0))
        {
            Interlocked.Increment(ref _duplicates);
            return Results.Accepted(); // already applied: RFC 8935 lets a receiver take a SET once
        }

        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.EncodedPayload)))!.AsObject();
        var (type, members) = payload["events"]!.AsObject().Single();
        var received = new ReceivedSet(set, token, type, payload["sub_id"]!.AsObject(), members!.AsObject());
        if (type == "https://schemas.openid.net/secevent/caep/event-type/session-revoked")
            _revokedSessions[received.SessionId!.Value] = 0;
        if (type == "https://schemas.openid.net/secevent/risc/event-type/account-disabled")
            _disabledUsers[received.UserId!.Value] = 0;
        if (type == "https://schemas.openid.net/secevent/risc/event-type/account-enabled")
            _disabledUsers.TryRemove(received.UserId!.Value, out _);
        Accepted.Enqueue(received);
        return Results.Accepted();
    }

    /// <summary>An API of this receiver: a platform access token, refused once its session or user is revoked here.</summary>
    private async Task<IResult> PingAsync(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
            return Results.Unauthorized();
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(header["Bearer ".Length..], new TokenValidationParameters
        {
            ValidIssuer = IdentityApp.Issuer,
            ValidAudience = "orders",
            IssuerSigningKeys = Keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt"],
            LifetimeValidator = (_, expires, _, _) => expires > _now().UtcDateTime,
        });
        if (!result.IsValid)
            return Results.Unauthorized();
        var token = (JsonWebToken)result.SecurityToken;
        var revoked = IsSessionRevoked(Guid.Parse(token.GetClaim("sid").Value)) || IsUserDisabled(Guid.Parse(token.Subject));
        return revoked ? Results.Unauthorized() : Results.Ok();
    }

    private static IResult Error(string err, string description) => Results.Json(new { err, description }, statusCode: StatusCodes.Status400BadRequest);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>A verified SET as the receiver took it.</summary>
public sealed record ReceivedSet(string Raw, JsonWebToken Token, string EventType, JsonObject SubId, JsonObject Event)
{
    private JsonObject? UserSubject => SubId["format"]?.GetValue<string>() == "complex" ? SubId["user"]?.AsObject() : SubId;

    public Guid? UserId => UserSubject?["id"] is { } id ? Guid.Parse(id.GetValue<string>()) : null;

    public Guid? SessionId => SubId["session"]?["id"] is { } id ? Guid.Parse(id.GetValue<string>()) : null;
}
