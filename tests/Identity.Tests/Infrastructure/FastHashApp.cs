using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;

namespace Platform.Identity.Tests.Infrastructure;

/// <summary>
/// Identity with cheap password hashing, so tests that send dozens of guesses at once finish in seconds on a small
/// machine, behind a trusted proxy, so a test picks the client address of its requests (<see cref="CreateClientFrom"/>).
/// The lockout rules are the production ones; the rate limit is raised so that only the lockout refuses.
/// </summary>
public sealed class FastHashApp : IdentityApp
{
    /// <summary>The proxy every request comes through; requests without <c>X-Forwarded-For</c> have it as their client.</summary>
    public const string Proxy = "127.0.0.1";

    /// <summary>A client whose requests the proxy forwards from <paramref name="address"/>.</summary>
    public HttpClient CreateClientFrom(string address) => CreateDefaultClient(new ForwardedFor(address));

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Identity:RateLimit:TrustedProxies:0", Proxy);
        builder.UseSetting("Identity:RateLimit:PermitLimit", "100000");
        builder.ConfigureTestServices(services =>
        {
            services.Configure<PasswordHasherOptions>(hasher => hasher.IterationCount = 1_000);
            services.AddTransient<IStartupFilter, FromProxy>();
        });
    }

    /// <summary>The in-memory server has no socket; this gives every request the proxy's address as its connection's.</summary>
    private sealed class FromProxy : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(Proxy);
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private sealed class ForwardedFor(string address) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
