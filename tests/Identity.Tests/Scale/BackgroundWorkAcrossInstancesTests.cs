using Microsoft.Extensions.Options;
using Platform.Identity.Mail;
using Platform.Identity.Outbox;
using Platform.Identity.SigningKeys;

namespace Platform.Identity.Tests.Scale;

/// <summary>
/// The background work of two instances on one database: both dispatch the outbox and the mail outbox, and both check
/// for a due rotation, yet every event is published once, every mail sent once, and a due rotation creates one key.
/// </summary>
public sealed class BackgroundWorkAcrossInstancesTests(RareKeyCheckApp app) : IClassFixture<RareKeyCheckApp>, IAsyncLifetime
{
    private readonly PeerIdentityApp _peer = new(app);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task Two_dispatchers_publish_every_outbox_row_exactly_once()
    {
        _ = _peer.Server; // both dispatchers running
        var now = app.Time.GetUtcNow();
        var rows = Enumerable.Range(0, 500)
            .Select(_ => OutboxMessage.For(new SessionRevoked(Guid.NewGuid(), Guid.NewGuid(), now, SessionRevokedReasons.Admin), now))
            .ToList();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            db.OutboxMessages.AddRange(rows);
            await db.SaveChangesAsync();
        }

        foreach (var services in new[] { app.Services, _peer.Services })
            services.GetRequiredService<OutboxSignal>().Notify();

        var ids = rows.Select(r => r.Id).ToHashSet();
        await Eventually.HoldsAsync(() => app.Events.MessageIds<SessionRevoked>().Count(id => ids.Contains(id!.Value)) >= ids.Count,
            "every row published", TimeSpan.FromSeconds(60));
        // Time for a second publication of any row to arrive too.
        await Task.Delay(TimeSpan.FromSeconds(2));

        var published = app.Events.MessageIds<SessionRevoked>().Where(id => ids.Contains(id!.Value)).ToList();
        Assert.Equal(ids.Count, published.Count);
        Assert.Equal(ids.Count, published.Distinct().Count());
    }

    [Fact]
    public async Task Two_mail_dispatchers_send_every_reset_mail_exactly_once()
    {
        _ = _peer.Server; // both dispatchers running
        var now = app.Time.GetUtcNow();
        var encryption = app.Services.GetRequiredService<ResetTokenEncryption>();
        var mails = Enumerable.Range(0, 40).Select(_ =>
        {
            var mail = new OutgoingMail
            {
                Id = Guid.CreateVersion7(),
                UserId = Guid.NewGuid(),
                Recipient = IdentityClient.NewEmail(),
                CreatedAt = now,
                ExpiresAt = now.AddMinutes(30),
            };
            mail.EncryptedToken = encryption.Encrypt(mail.Id, "reset-code-" + Guid.NewGuid().ToString("N"));
            return mail;
        }).ToList();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            db.MailMessages.AddRange(mails);
            await db.SaveChangesAsync();
        }

        // Both woken at once, as after a commit on each: they claim their batches at the same moment.
        foreach (var services in new[] { app.Services, _peer.Services })
            services.GetRequiredKeyedService<OutboxSignal>(MailDispatcher.SignalKey).Notify();

        var ids = mails.Select(m => m.Id).ToList();
        await Eventually.HoldsAsync(async () =>
        {
            await using var check = app.Services.CreateAsyncScope();
            return await check.ServiceProvider.GetRequiredService<IdentityDb>().MailMessages.CountAsync(m => ids.Contains(m.Id) && m.SentAt != null) == ids.Count;
        }, "every mail sent", TimeSpan.FromSeconds(60));

        using var catcher = MailCatcher.Shared();
        foreach (var mail in mails)
            Assert.Single(await catcher.MailsToAsync(mail.Recipient));
    }

    [Fact]
    public async Task A_rotation_due_on_both_instances_at_once_creates_one_key()
    {
        _ = _peer.Server; // started before the rotation is due, so only the two checks below can create a key
        var settings = app.Services.GetRequiredService<IOptions<IdentityServiceOptions>>().Value.SigningKeys;
        app.Time.Advance(settings.KeyLifetime);

        var created = await Task.WhenAll(
            app.Services.GetRequiredService<KeyRotator>().RotateIfDueAsync(force: false, CancellationToken.None),
            _peer.Services.GetRequiredService<KeyRotator>().RotateIfDueAsync(force: false, CancellationToken.None));

        var kid = Assert.Single(created.OfType<string>());
        await using var scope = app.Services.CreateAsyncScope();
        var pending = await scope.ServiceProvider.GetRequiredService<IdentityDb>().SigningKeys.AsNoTracking()
            .Where(k => k.ActivatesAt > app.Time.GetUtcNow()).Select(k => k.Id).ToListAsync();
        Assert.Equal([kid], pending);
        Assert.Contains(_peer.Services.GetRequiredService<SigningKeyStore>().Published, k => k.Id == kid);
    }
}
