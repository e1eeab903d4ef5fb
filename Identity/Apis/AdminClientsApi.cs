using Platform.Identity.Authentication;
using Platform.Identity.Clients;

namespace Platform.Identity.Apis;

/// <summary>Operators register service clients, rotate their secrets and disable them.</summary>
public static class AdminClientsApi
{
    public static IEndpointRouteBuilder MapAdminClientsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/clients").WithTags("Admin").RequireAuthorization(Authorization.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/", CreateClient).WithSummary("Register a service client; its secret is shown in this answer only");
        group.MapGet("/", ListClients).WithSummary("Service clients, a page at a time");
        group.MapGet("/{clientId:guid}", GetClient).WithSummary("A service client").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{clientId:guid}/secret", RotateSecret).WithSummary("A new secret; the old one stops working at once")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{clientId:guid}/disable", DisableClient)
            .WithSummary("Disable a client: ClientDisabled reaches every resource server, which refuses its tokens (idempotent)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<CreatedClient>, ValidationProblem>> CreateClient(
        CreateClientRequest request, ClaimsPrincipal principal, ServiceClients clients, CancellationToken cancellationToken)
    {
        var errors = clients.Validate(request.Name, request.Scopes, request.Audiences);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var created = await clients.CreateAsync(request.Name!, request.Scopes!, request.Audiences!, principal.UserId(), cancellationToken);
        return TypedResults.Created($"/admin/clients/{created.ClientId}", created);
    }

    public static async Task<Results<Ok<PageOf<ClientSummary>>, ValidationProblem>> ListClients(
        IdentityDb db, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var (number, size) = (page ?? 1, pageSize ?? 20);
        var errors = Platform.ServiceDefaults.Http.Paging.Validate(number, size, maxPageSize: 100);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var total = await db.ServiceClients.CountAsync(cancellationToken);
        var rows = await db.ServiceClients.AsNoTracking().OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .Skip(Platform.ServiceDefaults.Http.Paging.Offset(number, size)).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageOf<ClientSummary>(rows.ConvertAll(ServiceClients.Summary), number, size, total));
    }

    public static async Task<Results<Ok<ClientSummary>, ProblemHttpResult>> GetClient(Guid clientId, IdentityDb db, CancellationToken cancellationToken)
    {
        var client = await db.ServiceClients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        return client is null ? NotFound() : TypedResults.Ok(ServiceClients.Summary(client));
    }

    public static async Task<Results<Ok<RotatedSecret>, ProblemHttpResult>> RotateSecret(
        Guid clientId, ClaimsPrincipal principal, ServiceClients clients, HttpContext context, CancellationToken cancellationToken)
    {
        var secret = await clients.RotateSecretAsync(clientId, principal.UserId(), cancellationToken);
        if (secret is null)
            return NotFound();
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RotatedSecret(secret));
    }

    /// <summary>A disabling that publishes names its <see cref="ClientDisabled"/> in the <see cref="AdminRevocationsApi.EventHeader"/> header.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DisableClient(
        Guid clientId, ClaimsPrincipal principal, ServiceClients clients, HttpResponse response, CancellationToken cancellationToken) =>
        await clients.DisableAsync(clientId, principal.UserId(), cancellationToken) is { } eventId
            ? AdminRevocationsApi.NamingEvent(response, eventId, TypedResults.NoContent())
            : NotFound();

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No service client with this id.");
}

public sealed record CreateClientRequest(string? Name, string[]? Scopes, string[]? Audiences);

public sealed record RotatedSecret(string ClientSecret);
