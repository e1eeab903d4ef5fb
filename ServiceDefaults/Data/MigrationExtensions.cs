using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace Platform.ServiceDefaults.Data;

/// <summary>The one way a service or library of the platform brings a database schema up to date.</summary>
public static class MigrationExtensions
{
    private static readonly ActivitySource Source = new("Platform.ServiceDefaults.Migrations");

    // Any constant works, as long as nothing else in the database uses it.
    private const long MigrationLockId = 0x1D_E7_3A_16_00;

    /// <summary>
    /// Applies <typeparamref name="TContext"/>'s committed migrations while the host starts. Hosted services start in
    /// registration order and before the server listens, so no request, consumer or later hosted service meets an old
    /// schema; a database that cannot be migrated stops the start.
    /// </summary>
    public static IServiceCollection AddMigration<TContext>(this IServiceCollection services) where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHostedService<MigrationHostedService<TContext>>();
        return services;
    }

    /// <summary>
    /// Applies <typeparamref name="TContext"/>'s committed migrations now, in a scope of its own: for a start-up step
    /// that must run on the new schema before anything else (Identity's first keys and operator).
    /// </summary>
    public static async Task MigrateDbContextAsync<TContext>(this IServiceProvider services, CancellationToken cancellationToken)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(services);
        using var activity = Source.StartActivity($"Migrate {typeof(TContext).Name}");
        try
        {
            await using var scope = services.CreateAsyncScope();
            var database = scope.ServiceProvider.GetRequiredService<TContext>().Database;
            // Instances starting together on a fresh database would otherwise both create the history table and apply
            // the same migrations; the lock is the session's, so it spans the migrations' own transactions.
            await database.OpenConnectionAsync(cancellationToken);
            try
            {
                await database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockId})", cancellationToken);
                try
                {
                    await database.MigrateAsync(cancellationToken);
                }
                finally
                {
                    // Released now: a pooled connection would hold it until its next use.
                    await database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockId})", CancellationToken.None);
                }
            }
            finally
            {
                await database.CloseConnectionAsync();
            }
        }
        catch (Exception exception)
        {
            activity?.AddException(exception);
            activity?.SetStatus(ActivityStatusCode.Error);
            throw;
        }
    }

    private sealed class MigrationHostedService<TContext>(IServiceProvider services) : IHostedService where TContext : DbContext
    {
        public Task StartAsync(CancellationToken cancellationToken) => services.MigrateDbContextAsync<TContext>(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
