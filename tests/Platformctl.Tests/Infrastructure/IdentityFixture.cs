using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Platformctl.Tests.Infrastructure;

/// <summary>The real Identity service on its own database and virtual host; platformctl reaches it through the in-memory handler.</summary>
public sealed class IdentityFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Issuer = "http://identity.test";
    public const string AdminEmail = "chief@platformctl.test";
    public const string AdminPassword = "operator passphrase for platformctl tests";
    public const string UserPassword = "a long enough user passphrase 7";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "platformctl-identity-" + Guid.NewGuid().ToString("N"));
    private TestDatabase _database = null!;
    private TestVirtualHost _virtualHost = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("platformctl");
        _virtualHost = await TestVirtualHost.CreateAsync("platformctl");
        _ = Server; // start now, so a broken start fails the fixture rather than the first test
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Identity", _database.ConnectionString);
        builder.UseSetting("ConnectionStrings:RabbitMq", _virtualHost.AmqpUri.ToString());
        builder.UseSetting("Identity:Issuer", Issuer);
        builder.UseSetting("Identity:KeyEncryptionKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        builder.UseSetting("Identity:DataDirectory", _dataDirectory);
        builder.UseSetting("Identity:BootstrapAdmin:Email", AdminEmail);
        builder.UseSetting("Identity:BootstrapAdmin:Password", AdminPassword);
        // Every command of the suite logs in from one client.
        builder.UseSetting("Identity:RateLimit:PasswordPermitLimit", "1000");
    }

    /// <summary>platformctl wired to this Identity, with the operator's credentials in its environment.</summary>
    public Tool Operator() => Anonymous()
        .With("PLATFORM_OPERATOR_EMAIL", AdminEmail)
        .With("PLATFORM_OPERATOR_PASSWORD", AdminPassword);

    /// <summary>platformctl wired to this Identity, without credentials.</summary>
    public Tool Anonymous() => new Tool(Server.CreateHandler()).With("PLATFORM_IDENTITY_URL", Issuer);

    /// <summary>Signs a new ordinary user up and logs it in, as a REST client would.</summary>
    public async Task<(Guid Id, string Email, string AccessToken)> NewUserAsync()
    {
        using var client = CreateClient();
        var email = $"user-{Guid.NewGuid():N}@platformctl.test";
        var created = await client.PostAsJsonAsync("/users", new { email, password = UserPassword });
        created.EnsureSuccessStatusCode();
        var user = await created.Content.ReadFromJsonAsync<CreatedUser>();
        var login = await client.PostAsJsonAsync("/auth/login", new { email, password = UserPassword });
        login.EnsureSuccessStatusCode();
        var tokens = await login.Content.ReadFromJsonAsync<Tokens>();
        return (user!.Id, email, tokens!.AccessToken);
    }

    /// <summary>
    /// Stores a display name the way a row written before sign-up refused control characters holds it, so the tool
    /// can be shown what such a row looks like in its output.
    /// </summary>
    public async Task StoreDisplayNameAsync(Guid userId, string displayName)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Platform.Identity.Data.IdentityDb>();
        var user = await db.Users.SingleAsync(u => u.Id == userId);
        user.DisplayName = displayName;
        await db.SaveChangesAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _virtualHost.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    private sealed record CreatedUser(Guid Id);

    private sealed record Tokens(string AccessToken);
}

[CollectionDefinition(Name)]
public sealed class IdentityCollection : ICollectionFixture<IdentityFixture>
{
    public const string Name = "Identity";
}
