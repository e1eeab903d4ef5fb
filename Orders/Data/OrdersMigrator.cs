using Microsoft.EntityFrameworkCore;

namespace Platform.Orders.Data;

/// <summary>Applies committed migrations before the service accepts requests, so no request meets an old schema.</summary>
internal sealed class OrdersMigrator(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Database.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
