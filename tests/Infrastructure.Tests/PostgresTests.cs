using Npgsql;

namespace Platform.Infrastructure.Tests;

public sealed class PostgresTests
{
    [Fact]
    public async Task A_fresh_database_accepts_a_table_and_drops_with_it()
    {
        string name;
        await using (var database = await TestDatabase.CreateAsync("infra"))
        {
            name = database.Name;
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using (var create = new NpgsqlCommand("CREATE TABLE probe (id int PRIMARY KEY); INSERT INTO probe VALUES (42);", connection))
                await create.ExecuteNonQueryAsync();
            await using var read = new NpgsqlCommand("SELECT id FROM probe", connection);
            Assert.Equal(42, await read.ExecuteScalarAsync());
        }

        await using var admin = new NpgsqlConnection(TestInfrastructure.PostgresAdmin + ";Database=postgres");
        await admin.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", admin);
        exists.Parameters.AddWithValue("name", name);
        Assert.Equal(0L, await exists.ExecuteScalarAsync());
    }
}
