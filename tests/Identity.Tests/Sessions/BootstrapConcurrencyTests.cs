using Microsoft.AspNetCore.Identity;

namespace Platform.Identity.Tests.Sessions;

/// <summary>Instances started together on a fresh database agree on one first operator and one password for it.</summary>
public sealed class BootstrapConcurrencyTests(UnstartedApp app) : IClassFixture<UnstartedApp>
{
    [Fact]
    public async Task Two_instances_starting_together_on_a_fresh_database_both_start_and_create_exactly_one_operator_whose_password_file_works()
    {
        // The same settings and the same data directory, as two replicas of one deployment on a shared volume.
        await using var second = app.WithWebHostBuilder(_ => { });
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var starts = new[] { app, second }.Select(instance => Task.Run(async () =>
        {
            await go.Task;
            _ = instance.Server;
        })).ToArray();
        go.SetResult();
        await Task.WhenAll(starts);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var operators = await scope.ServiceProvider.GetRequiredService<UserManager<User>>().GetUsersInRoleAsync("admin");
            Assert.Equal(IdentityApp.AdminEmail, Assert.Single(operators).Email);
        }

        var password = (await File.ReadAllTextAsync(Path.Combine(app.DataDirectory, "bootstrap-admin-password"))).Trim();
        foreach (var client in new[] { app.CreateClient(), second.CreateClient() })
        {
            var tokens = await client.LoginAsync(IdentityApp.AdminEmail, password);
            Assert.Equal("admin", Jwks.Read(tokens.AccessToken).GetClaim("role").Value);
        }
    }
}
