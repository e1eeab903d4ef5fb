using Microsoft.AspNetCore.Mvc;
using Platform.Identity.Authentication;
using Platform.Identity.SharedSignals;

namespace Platform.Identity.Apis;

/// <summary>
/// Identity as an OpenID Shared Signals 1.0 transmitter: its configuration (§7) and the stream management API (§8) for
/// service clients with scope <c>ssf:manage</c> and a token for Identity's audience. A client sees and changes only its
/// own streams; someone else's answers 404, as a stream that does not exist.
/// </summary>
public static class SharedSignalsApi
{
    public const string StreamsPath = "/ssf/streams";

    public static IEndpointRouteBuilder MapSharedSignalsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/ssf-configuration", GetConfiguration).AllowAnonymous()
            .WithSummary("Shared Signals transmitter configuration (SSF 1.0 §7)");
        var group = app.MapGroup("/ssf").RequireAuthorization(SharedSignalsPolicy.Name)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/streams", CreateStream).WithSummary("Create a stream for the calling client");
        group.MapGet("/streams", GetStreams).WithSummary("One stream (stream_id) or all of the caller's");
        group.MapPatch("/streams", UpdateStream).WithSummary("Change the given members of a stream");
        group.MapPut("/streams", ReplaceStream).WithSummary("Replace a stream's configuration");
        group.MapDelete("/streams", DeleteStream).WithSummary("Delete a stream and the SETs waiting on it");
        group.MapGet("/status", SharedSignalsDeliveryApi.GetStatus).WithSummary("A stream's status, and the SETs given up on");
        group.MapPost("/status", SharedSignalsDeliveryApi.UpdateStatus).WithSummary("Enable, pause or disable a stream");
        group.MapPost("/verify", SharedSignalsDeliveryApi.Verify).WithSummary("Ask for a verification event");
        group.MapPost("/poll/{streamId:guid}", SharedSignalsDeliveryApi.Poll).WithSummary("RFC 8936 poll: acknowledge SETs and fetch new ones");
        return app;
    }

    public static Ok<SsfConfiguration> GetConfiguration(IOptions<IdentityServiceOptions> options)
    {
        var issuer = options.Value.Issuer;
        return TypedResults.Ok(new SsfConfiguration(
            "1_0", issuer, issuer + "/.well-known/jwks.json", SsfEventTypes.DeliveryMethods,
            issuer + StreamsPath, issuer + "/ssf/status", issuer + "/ssf/verify",
            [new AuthorizationScheme("urn:ietf:rfc:6749")], "ALL"));
    }

    public static async Task<Results<Created<StreamConfiguration>, ValidationProblem, ProblemHttpResult>> CreateStream(
        StreamConfigurationRequest request, ClaimsPrincipal principal, IdentityDb db, IOptions<SharedSignalsOptions> settings,
        IOptions<IdentityServiceOptions> identity, TimeProvider time, CancellationToken cancellationToken)
    {
        var stream = new SsfStreamConfig { ClientId = principal.ClientId(), DeliveryMethod = "", CreatedAt = time.GetUtcNow() };
        if (Apply(stream, request, settings.Value, partial: false) is { } invalid)
            return invalid;
        if (await db.SsfStreams.CountAsync(s => s.ClientId == stream.ClientId, cancellationToken) >= settings.Value.MaxStreamsPerClient)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"A client may have at most {settings.Value.MaxStreamsPerClient} streams; delete one first.");
        stream.Id = Guid.CreateVersion7(stream.CreatedAt);
        db.SsfStreams.Add(stream);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{StreamsPath}?stream_id={stream.Id}", Describe(stream, identity.Value.Issuer));
    }

    public static async Task<Results<Ok<StreamConfiguration>, Ok<StreamConfiguration[]>, ProblemHttpResult>> GetStreams(
        [FromQuery(Name = "stream_id")] string? streamId, ClaimsPrincipal principal, IdentityDb db, IOptions<IdentityServiceOptions> identity,
        CancellationToken cancellationToken)
    {
        var issuer = identity.Value.Issuer;
        if (streamId is null)
        {
            var clientId = principal.ClientId();
            var all = await db.SsfStreams.AsNoTracking().Where(s => s.ClientId == clientId).OrderBy(s => s.CreatedAt).ToListAsync(cancellationToken);
            return TypedResults.Ok(all.Select(s => Describe(s, issuer)).ToArray());
        }

        var stream = await FindOwnAsync(db, principal, streamId, cancellationToken);
        return stream is null ? StreamNotFound() : TypedResults.Ok(Describe(stream, issuer));
    }

    public static Task<Results<Ok<StreamConfiguration>, ValidationProblem, ProblemHttpResult>> UpdateStream(
        StreamConfigurationRequest request, ClaimsPrincipal principal, IdentityDb db, IOptions<SharedSignalsOptions> settings,
        IOptions<IdentityServiceOptions> identity, CancellationToken cancellationToken) =>
        ChangeAsync(request, principal, db, settings.Value, identity.Value.Issuer, partial: true, cancellationToken);

    public static Task<Results<Ok<StreamConfiguration>, ValidationProblem, ProblemHttpResult>> ReplaceStream(
        StreamConfigurationRequest request, ClaimsPrincipal principal, IdentityDb db, IOptions<SharedSignalsOptions> settings,
        IOptions<IdentityServiceOptions> identity, CancellationToken cancellationToken) =>
        ChangeAsync(request, principal, db, settings.Value, identity.Value.Issuer, partial: false, cancellationToken);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteStream(
        [FromQuery(Name = "stream_id")] string? streamId, ClaimsPrincipal principal, IdentityDb db, CancellationToken cancellationToken)
    {
        var id = StreamValidation.StreamId(streamId);
        var clientId = principal.ClientId();
        var deleted = id is null ? 0 : await db.SsfStreams.Where(s => s.Id == id && s.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? StreamNotFound() : TypedResults.NoContent();
    }

    internal static async Task<SsfStreamConfig?> FindOwnAsync(IdentityDb db, ClaimsPrincipal principal, string? streamId, CancellationToken cancellationToken)
    {
        var id = StreamValidation.StreamId(streamId);
        var clientId = principal.ClientId();
        return id is null ? null : await db.SsfStreams.SingleOrDefaultAsync(s => s.Id == id && s.ClientId == clientId, cancellationToken);
    }

    internal static ProblemHttpResult StreamNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "The caller has no stream with this stream_id.");

    private static async Task<Results<Ok<StreamConfiguration>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        StreamConfigurationRequest request, ClaimsPrincipal principal, IdentityDb db, SharedSignalsOptions settings, string issuer, bool partial,
        CancellationToken cancellationToken)
    {
        var stream = await FindOwnAsync(db, principal, request.StreamId, cancellationToken);
        if (stream is null)
            return StreamNotFound();
        if (Apply(stream, request, settings, partial) is { } invalid)
            return invalid;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Describe(stream, issuer));
    }

    /// <summary>Sets the members a request gives (all of them unless <paramref name="partial"/>); null when they are valid.</summary>
    private static ValidationProblem? Apply(SsfStreamConfig stream, StreamConfigurationRequest request, SharedSignalsOptions settings, bool partial)
    {
        var errors = new Dictionary<string, string[]>();
        var delivery = partial && request.Delivery is null ? (stream.DeliveryMethod, stream.EndpointUrl)
            : StreamValidation.Delivery(request.Delivery, settings.AllowHttpEndpoints, errors);
        var requested = partial && request.EventsRequested is null ? stream.EventsRequested : StreamValidation.EventsRequested(request.EventsRequested, errors);
        var description = partial && request.Description is null ? stream.Description : StreamValidation.Description(request.Description, errors);
        if (errors.Count > 0 || delivery is null || requested is null)
            return TypedResults.ValidationProblem(errors);
        (stream.DeliveryMethod, stream.EndpointUrl) = delivery.Value;
        stream.EventsRequested = requested;
        stream.EventsDelivered = StreamValidation.Delivered(requested);
        stream.Description = description;
        return null;
    }

    private static StreamConfiguration Describe(SsfStreamConfig stream, string issuer) => new(
        stream.Id.ToString(), issuer, stream.ClientId, SsfEventTypes.Supported, stream.EventsRequested, stream.EventsDelivered,
        new StreamDelivery(stream.DeliveryMethod, stream.EndpointUrl ?? $"{issuer}/ssf/poll/{stream.Id}"), stream.Description);
}

public sealed record AuthorizationScheme([property: JsonPropertyName("spec_urn")] string SpecUrn);

/// <summary>SSF 1.0 §7.1 transmitter configuration metadata.</summary>
public sealed record SsfConfiguration(
    [property: JsonPropertyName("spec_version")] string SpecVersion,
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("delivery_methods_supported")] string[] DeliveryMethodsSupported,
    [property: JsonPropertyName("configuration_endpoint")] string ConfigurationEndpoint,
    [property: JsonPropertyName("status_endpoint")] string StatusEndpoint,
    [property: JsonPropertyName("verification_endpoint")] string VerificationEndpoint,
    [property: JsonPropertyName("authorization_schemes")] AuthorizationScheme[] AuthorizationSchemes,
    [property: JsonPropertyName("default_subjects")] string DefaultSubjects);
