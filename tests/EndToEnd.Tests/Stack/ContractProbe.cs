namespace Platform.EndToEnd.Tests.Stack;

/// <summary>One route of the contract, on Identity or on Orders.</summary>
public sealed record ContractRoute(bool OnIdentity, string Method, string Path, string? Template = null)
{
    public static readonly ContractRoute SignUp = new(true, "POST", "users");
    public static readonly ContractRoute Login = new(true, "POST", "auth/login");
    public static readonly ContractRoute Refresh = new(true, "POST", "auth/refresh");
    public static readonly ContractRoute Logout = new(true, "POST", "auth/logout");
    public static readonly ContractRoute Deactivate = new(true, "POST", $"admin/users/{Guid.NewGuid()}/deactivate", "admin/users/{id}/deactivate");
    public static readonly ContractRoute Reactivate = new(true, "POST", $"admin/users/{Guid.NewGuid()}/reactivate", "admin/users/{id}/reactivate");
    public static readonly ContractRoute ChangePassword = new(true, "POST", "auth/password/change");
    public static readonly ContractRoute ForgotPassword = new(true, "POST", "auth/password/forgot");
    public static readonly ContractRoute ResetPassword = new(true, "POST", "auth/password/reset");
    public static readonly ContractRoute RotateKeys = new(true, "POST", "admin/keys/rotate");
    public static readonly ContractRoute PlaceOrder = new(false, "POST", "orders");
    public static readonly ContractRoute ListOrders = new(false, "GET", "orders");
    public static readonly ContractRoute GetOrder = new(false, "GET", $"orders/{Guid.NewGuid()}", "orders/{id}");
}

/// <summary>
/// Finds out, by asking without credentials, whether a service serves a route at all. Every contract route
/// answers an anonymous request with 400 or 401; only a route that does not exist answers 404 or 405. A scenario
/// whose routes are not served yet is skipped with that reason instead of failing on a missing feature.
/// </summary>
public static class ContractProbe
{
    private static readonly ConcurrentDictionary<(Uri, ContractRoute), bool> Served = new();

    public static async Task SkipUnlessServedAsync(this PlatformStack stack, params ContractRoute[] routes)
    {
        stack.EnsureStarted();
        var missing = new List<string>();
        foreach (var route in routes)
        {
            var baseAddress = route.OnIdentity ? stack.IdentityUrl : stack.OrdersUrl;
            if (!Served.TryGetValue((baseAddress, route), out var served))
            {
                served = await IsServedAsync(baseAddress, route);
                Served[(baseAddress, route)] = served;
            }

            if (!served)
                missing.Add($"{(route.OnIdentity ? "Identity" : "Orders")} does not serve {route.Method} /{route.Template ?? route.Path} yet");
        }

        Skip.If(missing.Count > 0, string.Join("; ", missing));
    }

    private static async Task<bool> IsServedAsync(Uri baseAddress, ContractRoute route)
    {
        using var client = new OrdersClient(baseAddress);
        using var response = await client.SendAsync(new HttpMethod(route.Method), route.Path, body: route.Method == "POST" ? new { } : null);
        return response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed);
    }
}
