using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Platform.Orders.Tests.Infrastructure;

/// <summary>One Orders instance in the test process, configured only through its public configuration names.</summary>
public sealed class OrdersApp(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public HttpClient ClientWith(string token) => CreateClient().WithBearer(token);

    public async Task WaitUntilReadyAsync(int seconds = 30)
    {
        using var client = CreateClient();
        await client.WaitUntilReadyAsync("Orders", seconds);
    }

    protected override IHost CreateHost(IHostBuilder builder) => StartFailure.BuildAndStart(builder);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }
}
