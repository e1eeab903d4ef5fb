using Platform.Identity.Mail;
using Platform.Identity.SharedSignals;

namespace Platform.Identity.Outbox;

/// <summary>
/// The one way Identity changes state and announces it. Between <see cref="BeginAsync"/> and <see cref="CommitAsync"/>
/// the handler's reads, row locks and <c>ExecuteUpdateAsync</c> calls, the events it <see cref="Enqueue"/>s and its audit
/// rows share one transaction; the dispatcher is woken only after the commit, so no event is published for a change that
/// did not happen, nor left waiting for the next poll.
/// </summary>
/// <remarks>
/// A handler that returns before <see cref="CommitAsync"/> (not found, a refused password) rolls everything back when the
/// transaction is disposed. Not run under an EF execution strategy: a retry would replay the work against a change
/// tracker still holding the first attempt's changes (a session already marked revoked would not be announced again).
/// </remarks>
public sealed class UnitOfWork(
    IdentityDb db, OutboxSignal signal, [FromKeyedServices(MailDispatcher.SignalKey)] OutboxSignal mailSignal, SignalFanOut securityEvents)
{
    private readonly List<OutboxMessage> _enqueued = [];
    private readonly List<SecurityEvent> _signals = [];
    private bool _mailQueued;
    private bool _signalled;

    /// <summary>Opens the transaction; dispose it, with <c>await using</c>, to roll back whatever was not committed.</summary>
    public async Task<IAsyncDisposable> BeginAsync(CancellationToken cancellationToken)
    {
        _enqueued.Clear();
        _signals.Clear();
        _mailQueued = false;
        return await db.Database.BeginTransactionAsync(cancellationToken);
    }

    /// <summary>Queues an event that is published once, and only if, the open transaction commits.</summary>
    public OutboxMessage Enqueue<T>(T message, DateTimeOffset now) where T : class
    {
        // Outside a transaction the row could commit apart from the state change it announces.
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Events are enqueued between UnitOfWork.BeginAsync and CommitAsync.");
        var row = OutboxMessage.For(message, now);
        _enqueued.Add(row);
        // The bus event and the Shared Signals event of a change are one decision, made here once.
        if (SecurityEvent.From(message) is { } securityEvent)
            _signals.Add(securityEvent);
        return row;
    }

    /// <summary>Queues a security event that no bus message announces (a password or role change, a reactivation).</summary>
    public void Signal(SecurityEvent securityEvent)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Security events are signalled between UnitOfWork.BeginAsync and CommitAsync.");
        _signals.Add(securityEvent);
    }

    /// <summary>Queues a mail that is sent once, and only if, the open transaction commits.</summary>
    public void QueueMail(OutgoingMail mail)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Mails are queued between UnitOfWork.BeginAsync and CommitAsync.");
        db.MailMessages.Add(mail);
        _mailQueued = true;
    }

    /// <summary>
    /// Writes what was queued, then rolls it back: the database does the work of a commit and keeps nothing. For
    /// requests that must cost the same whether or not they change anything.
    /// </summary>
    public async Task DiscardAsync(CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("UnitOfWork.DiscardAsync needs an open transaction from BeginAsync.");
        await WriteEnqueuedAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
        db.ChangeTracker.Clear();
        _enqueued.Clear();
        _signals.Clear();
        _mailQueued = false;
        _signalled = false;
    }

    /// <summary>Saves, commits, then wakes the dispatchers if an event or a mail waits to be sent.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("UnitOfWork.CommitAsync needs an open transaction from BeginAsync.");
        await WriteEnqueuedAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // Rows written already settled are never published, so they need no wake-up.
        var publish = _enqueued.Exists(row => row.SentAt is null);
        _enqueued.Clear();
        if (publish)
            signal.Notify();
        if (_mailQueued)
            mailSignal.Notify();
        if (_signalled)
            securityEvents.Wake();
        _mailQueued = false;
        _signalled = false;
    }

    /// <summary>
    /// Inserts the queued rows in one statement, one array per column: a deactivation of ten thousand users queues
    /// ten thousand events, which the change tracker would write as ten thousand INSERTs.
    /// </summary>
    private async Task WriteEnqueuedAsync(CancellationToken cancellationToken)
    {
        _signalled = await securityEvents.WriteAsync(_signals, cancellationToken) > 0;
        _signals.Clear();
        if (_enqueued.Count == 0)
            return;
        var ids = _enqueued.Select(r => r.Id).ToArray();
        var types = _enqueued.Select(r => r.Type).ToArray();
        var payloads = _enqueued.Select(r => r.Payload).ToArray();
        var created = _enqueued.Select(r => r.CreatedAt).ToArray();
        var sent = _enqueued.Select(r => r.SentAt).ToArray();
        var traces = _enqueued.Select(r => r.TraceParent).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "OutboxMessages" ("Id", "Type", "Payload", "CreatedAt", "SentAt", "TraceParent", "Attempts")
            SELECT id, type, payload::jsonb, created, sent, trace, 0
            FROM unnest({ids}, {types}, {payloads}, {created}, {sent}, {traces}) AS row(id, type, payload, created, sent, trace)
            """, cancellationToken);
    }
}
