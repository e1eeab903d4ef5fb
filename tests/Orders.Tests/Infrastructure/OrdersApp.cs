using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Platform.Orders.Tests.Infrastructure;

/// <summary>One Orders instance in the test process, configured only through its public configuration names.</summary>
public sealed class OrdersApp(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public HttpClient ClientWith(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200, as a load balancer would before sending traffic.</summary>
    public async Task WaitUntilReadyAsync(int seconds = 30)
    {
        using var client = CreateClient();
        var last = "";
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await client.GetAsync("/health/ready");
            last = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK;
        }, () => "Orders to become ready; last answer: " + last, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(100));
    }

    protected override IHost CreateHost(IHostBuilder builder) => StartFailure.BuildAndStart(builder);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }
}
