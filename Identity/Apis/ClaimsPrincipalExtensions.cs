namespace Platform.Identity.Apis;

internal static class ClaimsPrincipalExtensions
{
    // JwtBearer keeps the token's claim names (MapInboundClaims = false), and validation requires both.
    public static Guid UserId(this ClaimsPrincipal principal) => Guid.Parse(principal.FindFirstValue("sub")!);

    public static Guid SessionId(this ClaimsPrincipal principal) => Guid.Parse(principal.FindFirstValue("sid")!);
}
