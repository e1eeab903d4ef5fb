using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Bulk deactivation on real processes: users seeded into Identity, a sample of them logged in for real tokens, one
/// <c>POST /admin/users/deactivate</c> naming all of them, then polled until every Orders instance has applied the
/// whole list: Identity's outbox drained, every instance queue empty, and every sample token refused at every
/// instance. A smaller bulk request first warms every path and is not counted. Writes a markdown fragment.
/// </summary>
public static class BulkDeactivationRun
{
    private const int SampleSize = 20;
    private const int WarmUpUsers = 50;
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(int users, int instances, string outputFile)
    {
        await using var stack = await ScaleStack.StartAsync(identities: 1, orders: instances);
        using var client = new PlatformClient(stack.Identity);
        var warmUp = await UserSeed.SeedAsync(stack.IdentityDatabase, WarmUpUsers, "warm");
        var seeded = await UserSeed.SeedAsync(stack.IdentityDatabase, users, "bulk");
        // Spread over the list, and its last ids: a user late in a long list is refused as surely as the first.
        var sample = seeded.Where((_, i) => i % Math.Max(1, users / (SampleSize / 2)) == 0).Take(SampleSize / 2)
            .Concat(seeded.TakeLast(SampleSize / 2)).DistinctBy(u => u.Id).ToList();
        var tokens = new List<string>();
        foreach (var user in sample)
            tokens.Add((await client.LogInAsync(user.Email, UserSeed.Password)).Token);
        var (admin, _, _) = await client.LogInAsync(stack.AdminEmail, stack.AdminPassword, PlatformClient.OperatorResource);
        foreach (var orders in stack.Orders)
        {
            foreach (var token in tokens)
            {
                if (await client.GetOrdersStatusAsync(token, "/orders", orders) != HttpStatusCode.OK)
                    throw new InvalidOperationException("An Orders instance refused a sample token before the deactivation.");
            }
        }

        var queues = (await stack.VirtualHost.QueuesAsync()).Select(q => q.Name).Where(n => n.StartsWith("orders-revocations-", StringComparison.Ordinal)).ToList();
        if (queues.Count != instances)
            throw new InvalidOperationException($"Expected {instances} instance queues, found {queues.Count}.");
        var amqp = new ConnectionFactory { Uri = stack.VirtualHost.AmqpUri };
        await using var connection = await amqp.CreateConnectionAsync();

        await client.DeactivateManyAsync(admin, [.. warmUp.Select(u => u.Id)]);
        await using (var channel = await connection.CreateChannelAsync())
            await WaitAsync(async () => await UnsentAsync(stack) == 0 && await ReadyAsync(channel, queues) == 0, "the warm-up to drain");

        var since = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await client.DeactivateManyAsync(admin, [.. seeded.Select(u => u.Id)]);
        var answered = clock.Elapsed;
        TimeSpan? outboxDrained = null, queuesEmpty = null, tokensRefused = null, managementEmpty = null;
        var pending = tokens.SelectMany(t => stack.Orders.Select(o => (Token: t, Orders: o))).ToList();
        await using (var channel = await connection.CreateChannelAsync())
        {
            while (managementEmpty is null || tokensRefused is null || queuesEmpty is null)
            {
                if (clock.Elapsed > Limit)
                    throw new TimeoutException($"Not applied everywhere within {Limit.TotalSeconds} s (outbox {outboxDrained}, queues {queuesEmpty}, tokens {tokensRefused}).");
                outboxDrained ??= await UnsentAsync(stack) == 0 ? clock.Elapsed : null;
                // Queues are judged only once everything is published: before that, an empty queue means nothing.
                if (outboxDrained is not null)
                {
                    queuesEmpty ??= await ReadyAsync(channel, queues) == 0 ? clock.Elapsed : null;
                    if (queuesEmpty is not null && managementEmpty is null && await ManagementReadyAsync(stack, queues) == 0)
                        managementEmpty = clock.Elapsed;
                }

                if (tokensRefused is null)
                {
                    var statuses = await Task.WhenAll(pending.Select(p => client.GetOrdersStatusAsync(p.Token, "/orders", p.Orders)));
                    pending = [.. pending.Where((_, i) => statuses[i] != HttpStatusCode.Unauthorized)];
                    if (pending.Count == 0)
                        tokensRefused = clock.Elapsed;
                }

                await Task.Delay(20);
            }
        }

        var visible = new[] { outboxDrained!.Value, queuesEmpty!.Value, tokensRefused!.Value }.Max();
        var outbox = await OutboxFiguresAsync(stack, since);
        var inactive = await InactiveAsync(stack, [.. seeded.Select(u => u.Id)]);
        if (inactive != users)
            throw new InvalidOperationException($"{inactive} of {users} users are inactive after the bulk request.");

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"\n### Bulk deactivation ({users} users in one request, {instances} Orders instances, {tokens.Count} sample tokens checked at every instance)\n");
        report.AppendLine("| step | seconds after the request was sent |\n|---|---:|");
        foreach (var (step, at) in new[]
        {
            ("answered 200 (one transaction: rows locked, stamps renewed, sessions ended, audit and outbox rows written)", answered),
            ("outbox drained (no unsent row)", outboxDrained.Value),
            ("every instance queue empty (AMQP, messages ready)", queuesEmpty.Value),
            ("every sample token refused at every instance", tokensRefused.Value),
            ("**applied at every instance** (all three above)", visible),
            ("management API shows the instance queues empty (its counts refresh every few seconds)", managementEmpty!.Value),
        })
            report.AppendLine(CultureInfo.InvariantCulture, $"| {step} | {at.TotalSeconds:F2} |");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"\nTarget: visible at {instances} instances within {Target.TotalSeconds:0} s: **{(visible <= Target ? "met" : "missed")}** ({visible.TotalSeconds:F2} s).");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Outbox: {outbox.Events} events ({outbox.Deactivations} UserDeactivated, {outbox.Events - outbox.Deactivations} SessionRevoked) published between "
            + $"{outbox.FirstSent:HH:mm:ss.fff} and {outbox.LastSent:HH:mm:ss.fff}: **{outbox.Events / Math.Max(0.001, (outbox.LastSent - outbox.FirstSent).TotalSeconds):F0} events/s** "
            + $"dispatching, {outbox.Events / Math.Max(0.001, (outbox.LastSent - outbox.Written).TotalSeconds):F0} events/s from the rows' commit to the last confirm.");
        await File.WriteAllTextAsync(outputFile, report.ToString());
        Console.Write(report);
        return 0;
    }

    private static async Task<long> ReadyAsync(IChannel channel, List<string> queues)
    {
        long ready = 0;
        foreach (var queue in queues)
            ready += (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        return ready;
    }

    private static async Task<long> ManagementReadyAsync(ScaleStack stack, List<string> queues)
    {
        long ready = 0;
        foreach (var queue in queues)
            ready += await stack.VirtualHost.CountReadyAsync(queue);
        return ready;
    }

    private static async Task<long> UnsentAsync(ScaleStack stack) =>
        await ScalarAsync<long>(stack, """SELECT count(*) FROM "OutboxMessages" WHERE "SentAt" IS NULL""");

    private static async Task<long> InactiveAsync(ScaleStack stack, Guid[] ids)
    {
        await using var connection = new NpgsqlConnection(stack.IdentityDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT count(*) FROM "AspNetUsers" WHERE "Id" = ANY(@ids) AND NOT "IsActive" """, connection);
        command.Parameters.AddWithValue("ids", ids);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(long Events, long Deactivations, DateTimeOffset Written, DateTimeOffset FirstSent, DateTimeOffset LastSent)> OutboxFiguresAsync(
        ScaleStack stack, DateTimeOffset since)
    {
        await using var connection = new NpgsqlConnection(stack.IdentityDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT count(*), count(*) FILTER (WHERE "Type" = 'UserDeactivated'), min("CreatedAt"), min("SentAt"), max("SentAt")
            FROM "OutboxMessages" WHERE "CreatedAt" >= @since
            """, connection);
        command.Parameters.AddWithValue("since", since);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
            reader.GetFieldValue<DateTimeOffset>(4));
    }

    private static async Task<T> ScalarAsync<T>(ScaleStack stack, string sql)
    {
        await using var connection = new NpgsqlConnection(stack.IdentityDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Limit)
                throw new TimeoutException($"Waited {Limit.TotalSeconds} s for {what}.");
            await Task.Delay(50);
        }
    }
}
