using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.Identity.Tests.Security;

/// <summary>
/// Forgot-password must not reveal which addresses have accounts by how long it takes, nor let anyone grow Identity's
/// storage. Rather than time it, these tests check the mechanism: every address costs the same lookup, reset token,
/// encryption and row writes, and only an active account's rows are committed; the others are rolled back.
/// </summary>
public sealed class ForgotPasswordWorkTests(ForgotPasswordWorkTests.RecordingApp app) : IClassFixture<ForgotPasswordWorkTests.RecordingApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Known_unknown_and_deactivated_addresses_write_the_same_rows_and_only_the_known_one_keeps_them()
    {
        var knownEmail = IdentityClient.NewEmail();
        var known = await _client.SignUpAsync(knownEmail);
        var deactivatedEmail = IdentityClient.NewEmail();
        var deactivated = await _client.SignUpAsync(deactivatedEmail);
        var admin = await _client.LoginAdminAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{deactivated.Id}/deactivate", admin.AccessToken)).StatusCode);

        var knownWork = await ForgotAsync(knownEmail);
        var unknownWork = await ForgotAsync(IdentityClient.NewEmail());
        var deactivatedWork = await ForgotAsync(deactivatedEmail);

        Assert.Equal(["INSERT OutboxMessages", "INSERT MailMessages", "commit"], knownWork.Steps);
        Assert.Equal(["INSERT OutboxMessages", "INSERT MailMessages", "rollback"], unknownWork.Steps);
        Assert.Equal(unknownWork.Steps, deactivatedWork.Steps);
        Assert.Equal(1, knownWork.MailRowsAdded);
        Assert.Equal(1, knownWork.OutboxRowsAdded);
        Assert.Equal((0, 0), (unknownWork.MailRowsAdded, unknownWork.OutboxRowsAdded));
        Assert.Equal((0, 0), (deactivatedWork.MailRowsAdded, deactivatedWork.OutboxRowsAdded));
        await app.Events.WaitForAsync<PasswordResetRequested>(e => e.UserId == known.Id);
        Assert.DoesNotContain(app.Events.All<PasswordResetRequested>(), e => e.UserId == deactivated.Id);
    }

    /// <summary>Asks for a reset; returns the writes and the transaction outcome of the request's own database context.</summary>
    private async Task<(List<string> Steps, int MailRowsAdded, int OutboxRowsAdded)> ForgotAsync(string email)
    {
        var (mailBefore, outboxBefore) = await CountRowsAsync();
        app.Recorder.Clear();
        var response = await _client.PostAsJsonAsync("/auth/password/forgot", new { email });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var (mailAfter, outboxAfter) = await CountRowsAsync();
        return (app.Recorder.StepsOfTheContextThatWroteMail(), mailAfter - mailBefore, outboxAfter - outboxBefore);
    }

    private async Task<(int Mail, int Outbox)> CountRowsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        return (await db.MailMessages.CountAsync(), await db.OutboxMessages.CountAsync());
    }

    /// <summary>Identity with every database context's inserts and transaction outcomes recorded.</summary>
    public sealed class RecordingApp : IdentityApp
    {
        public WriteRecorder Recorder { get; } = new();

        protected override void Configure(IWebHostBuilder builder) =>
            builder.ConfigureTestServices(services => services.ConfigureDbContext<IdentityDb>(db => db.AddInterceptors(Recorder)));
    }

    /// <summary>Inserts into the outboxes and commits or rollbacks, per database context instance.</summary>
    public sealed class WriteRecorder : IDbCommandInterceptor, IDbTransactionInterceptor
    {
        private readonly ConcurrentQueue<(Guid Context, string Step)> _steps = new();

        public void Clear() => _steps.Clear();

        public List<string> StepsOfTheContextThatWroteMail()
        {
            var steps = _steps.ToList();
            var writer = Assert.Single(steps.Where(s => s.Step == "INSERT MailMessages").Select(s => s.Context).Distinct());
            return steps.Where(s => s.Context == writer).Select(s => s.Step).ToList();
        }

        public ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            Record(command.CommandText, eventData.Context);
            return ValueTask.FromResult(result);
        }

        public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Record(command.CommandText, eventData.Context);
            return ValueTask.FromResult(result);
        }

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Add(eventData.Context, "commit");
            return Task.CompletedTask;
        }

        public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Add(eventData.Context, "rollback");
            return Task.CompletedTask;
        }

        private void Record(string sql, DbContext? context)
        {
            // One batch may carry both inserts; each table counts once, in the order written.
            foreach (var table in new[] { "OutboxMessages", "MailMessages" })
            {
                if (sql.Contains($"INSERT INTO \"{table}\"", StringComparison.Ordinal))
                    Add(context, "INSERT " + table);
            }
        }

        private void Add(DbContext? context, string step)
        {
            if (context is not null)
                _steps.Enqueue((context.ContextId.InstanceId, step));
        }
    }
}
