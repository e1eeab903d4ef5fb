using System.Buffers.Binary;
using System.Collections.Concurrent;
using MassTransit;
using Platform.Contracts;

namespace Platform.Testing;

/// <summary>
/// Identity's side of the bus for tests: publishes revocation events and answers <see cref="GetActiveRevocations"/>
/// page by page with what it was told is active (or stays silent, as an Identity that is down). Pages are packed as
/// the contract describes, written here independently of the services' own code.
/// </summary>
public sealed class FakeIdentityBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private FakeIdentityBus(IBusControl bus) => _bus = bus;

    /// <summary>Deactivated user id → time of the deactivation.</summary>
    public ConcurrentDictionary<Guid, DateTimeOffset> ActiveUsers { get; } = new();

    /// <summary>Revoked session id → time of the revocation.</summary>
    public ConcurrentDictionary<Guid, DateTimeOffset> ActiveSessions { get; } = new();

    public bool Answering { get; set; } = true;

    /// <summary>Entries per catch-up page.</summary>
    public int PageSize { get; set; } = 1_000;

    /// <summary>Pages answered from now on before going silent, as an Identity lost mid-way; null for no limit.</summary>
    public int? PagesBeforeSilence
    {
        get => _pagesBeforeSilence;
        set
        {
            _pagesBeforeSilence = value;
            Volatile.Write(ref _pagesAnswered, 0);
        }
    }

    /// <summary>Each page is answered twice, as a redelivered response.</summary>
    public bool AnswersTwice { get; set; }

    public int RequestsSeen => Volatile.Read(ref _requestsSeen);

    /// <summary>Page requests answered since <see cref="PagesBeforeSilence"/> was last set.</summary>
    public int PagesAnswered => Volatile.Read(ref _pagesAnswered);

    private int _requestsSeen;
    private int _pagesAnswered;
    private int? _pagesBeforeSilence;

    public static async Task<FakeIdentityBus> StartAsync(Uri amqp)
    {
        FakeIdentityBus? fake = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            var credentials = amqp.UserInfo.Split(':', 2);
            // A URI without a path (a private node's default virtual host) means "/".
            var virtualHost = Uri.UnescapeDataString(amqp.AbsolutePath.TrimStart('/')) is { Length: > 0 } path ? path : "/";
            cfg.Host(amqp.Host, (ushort)amqp.Port, virtualHost, h =>
            {
                h.Username(Uri.UnescapeDataString(credentials[0]));
                h.Password(Uri.UnescapeDataString(credentials[1]));
            });
            cfg.ReceiveEndpoint("fake-identity-" + Guid.NewGuid().ToString("N"), e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<GetActiveRevocations>(async context =>
                {
                    Interlocked.Increment(ref fake!._requestsSeen);
                    if (!fake.Answering || fake._pagesBeforeSilence is { } limit && fake.PagesAnswered >= limit)
                        return;
                    Interlocked.Increment(ref fake._pagesAnswered);
                    var page = fake.Page(context.Message.After);
                    await context.RespondAsync(page);
                    if (fake.AnswersTwice)
                        await context.RespondAsync(page);
                });
            });
        });
        fake = new FakeIdentityBus(bus);
        await bus.StartAsync(TestTimeout.Token(30));
        return fake;
    }

    /// <summary>Users then sessions, each by time then id; the page holds what sorts after <paramref name="after"/>.</summary>
    public ActiveRevocations Page(RevocationCursor? after)
    {
        var all = ActiveUsers.Select(u => (Kind: RevokedKind.User, Id: u.Key, At: u.Value))
            .Concat(ActiveSessions.Select(s => (Kind: RevokedKind.Session, Id: s.Key, At: s.Value)))
            .OrderBy(e => e.Kind).ThenBy(e => e.At).ThenBy(e => e.Id.ToString(), StringComparer.Ordinal)
            .ToList();
        var start = after is null ? 0 : all.FindIndex(e => Compare(e, after) > 0) is var i and >= 0 ? i : all.Count;
        var page = all.Skip(start).Take(PageSize).ToList();
        var last = start + page.Count >= all.Count;
        return new ActiveRevocations(
            Pack(page.Where(e => e.Kind == RevokedKind.User)),
            Pack(page.Where(e => e.Kind == RevokedKind.Session)),
            last ? null : new RevocationCursor(page[^1].Kind, page[^1].At, page[^1].Id),
            DateTimeOffset.UtcNow);
    }

    private static int Compare((RevokedKind Kind, Guid Id, DateTimeOffset At) entry, RevocationCursor cursor) =>
        entry.Kind != cursor.Kind ? entry.Kind.CompareTo(cursor.Kind)
        : entry.At != cursor.At ? entry.At.CompareTo(cursor.At)
        : string.CompareOrdinal(entry.Id.ToString(), cursor.Id.ToString());

    /// <summary>24 bytes an entry: the id as <c>Guid.TryWriteBytes</c> writes it, then UTC ticks, little-endian.</summary>
    public static byte[] Pack(IEnumerable<(RevokedKind Kind, Guid Id, DateTimeOffset At)> entries)
    {
        var list = entries.ToList();
        var packed = new byte[list.Count * 24];
        for (var i = 0; i < list.Count; i++)
        {
            list[i].Id.TryWriteBytes(packed.AsSpan(i * 24, 16));
            BinaryPrimitives.WriteInt64LittleEndian(packed.AsSpan((i * 24) + 16, 8), list[i].At.UtcTicks);
        }

        return packed;
    }

    public Task PublishAsync<T>(T message) where T : class => _bus.Publish(message, TestTimeout.Token(10));

    /// <summary>Sends straight to one queue, as an event that waited there while its consumers were down reaches only it.</summary>
    public async Task SendAsync<T>(string queue, T message) where T : class
    {
        // Through the endpoint's exchange of the same name: a "queue:" address would declare the queue as a classic
        // one, which the broker refuses for a quorum queue.
        var endpoint = await _bus.GetSendEndpoint(new Uri("exchange:" + queue));
        await endpoint.Send(message, TestTimeout.Token(10));
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync(TestTimeout.Token(15));
}
