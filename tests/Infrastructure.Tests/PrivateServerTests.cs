using System.Net.Sockets;
using Npgsql;

namespace Platform.Infrastructure.Tests;

/// <summary>Fault tests rely on these servers really going away and coming back.</summary>
public sealed class PrivateServerTests
{
    [Fact]
    public async Task A_private_RabbitMQ_refuses_connections_while_stopped_and_accepts_them_after_a_restart()
    {
        await using var rabbit = await PrivateRabbitMq.StartAsync();
        Assert.True(await AcceptsAsync(rabbit.Port));

        await rabbit.StopAsync();
        Assert.False(await AcceptsAsync(rabbit.Port));

        await rabbit.RestartAsync();
        Assert.True(await AcceptsAsync(rabbit.Port));
    }

    [Fact]
    public async Task A_private_PostgreSQL_keeps_its_data_across_a_stop_and_restart()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await postgres.CreateDatabaseAsync("probe");
        await ExecuteAsync(postgres.ConnectionString("probe"), "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7);");

        await postgres.StopAsync();
        NpgsqlConnection.ClearAllPools();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(postgres.ConnectionString("probe"), "SELECT 1"));

        await postgres.RestartAsync();
        await using var connection = new NpgsqlConnection(postgres.ConnectionString("probe"));
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT id FROM kept", connection);
        Assert.Equal(7, await read.ExecuteScalarAsync());
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
