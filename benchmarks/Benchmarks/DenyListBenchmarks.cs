using BenchmarkDotNet.Attributes;
using Platform.ResourceServer.Revocation;

namespace Platform.Benchmarks;

/// <summary>The per-request deny-list lookup at growing sizes; the target is at most 100 ns at a million entries.</summary>
[Config(typeof(ShortRunConfig))]
public class DenyListBenchmarks
{
    private const int Probes = 1024;

    private DenyList _denyList = null!;
    private Guid[] _users = null!;
    private Guid[] _sessions = null!;
    private long _issuedAt;
    private int _next;

    [Params(0, 10_000, 1_000_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _denyList = ResourceServerUnderTest.NewDenyList();
        DenyListFill.Fill(_denyList, Entries);
        // Probes that are absent, as almost every request's are, spread so the CPU cache cannot hold the answer.
        _users = [.. Enumerable.Range(0, Probes).Select(_ => Guid.NewGuid())];
        _sessions = [.. Enumerable.Range(0, Probes).Select(_ => Guid.NewGuid())];
        _issuedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    [Benchmark(Description = "deny-list lookup (absent token)")]
    public bool Lookup()
    {
        var i = _next++ & (Probes - 1);
        return _denyList.IsRevoked(_users[i], _sessions[i], _issuedAt);
    }
}

public static class DenyListFill
{
    /// <summary>Half deactivated users, half revoked sessions, as a mix of both events would leave them.</summary>
    public static void Fill(DenyList denyList, int entries)
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < entries; i++)
        {
            if (i % 2 == 0)
                denyList.DeactivateUser(Guid.NewGuid(), now);
            else
                denyList.RevokeSession(Guid.NewGuid(), now);
        }
    }

    /// <summary>Retained bytes per entry after a full collection, so transient garbage from filling does not count.</summary>
    public static double BytesPerEntry(int entries)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var denyList = ResourceServerUnderTest.NewDenyList();
        Fill(denyList, entries);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(denyList);
        return (after - before) / (double)entries;
    }
}
