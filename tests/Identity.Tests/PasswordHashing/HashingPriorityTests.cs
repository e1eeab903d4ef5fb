using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Platform.Identity.PasswordHashing;

namespace Platform.Identity.Tests.PasswordHashing;

/// <summary>
/// A password hash runs below the requests around it, so a login storm takes only the CPU they leave over; the thread
/// that asked for the hash keeps its own priority, and the hash's answer and failures reach it unchanged.
/// </summary>
public sealed class HashingPriorityTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PasswordHashingGate _gate;

    public HashingPriorityTests()
    {
        _gate = new PasswordHashingGate(Options.Create(new PasswordHashingOptions()),
            new PasswordHashingMetrics(_services.GetRequiredService<IMeterFactory>()));
    }

    [Fact]
    public void A_password_check_runs_at_a_lower_priority_and_leaves_the_callers_alone()
    {
        var probe = new NiceProbe();
        var hasher = new GatedPasswordHasher(_gate, probe);
        var before = CurrentThreadNice();

        var result = hasher.VerifyHashedPassword(new User(), "stored", "presented");

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, result);
        Assert.Equal(HashingPriority.Nice, probe.NiceWhileHashing);
        Assert.NotEqual(Environment.CurrentManagedThreadId, probe.HashingThread);
        Assert.Equal(before, CurrentThreadNice());
    }

    [Fact]
    public void A_new_hash_runs_at_a_lower_priority_too()
    {
        var probe = new NiceProbe();
        var hasher = new GatedPasswordHasher(_gate, probe);

        Assert.Equal("hashed", hasher.HashPassword(new User(), "secret"));
        Assert.Equal(HashingPriority.Nice, probe.NiceWhileHashing);
    }

    [Fact]
    public void A_failing_hash_throws_its_own_exception_to_the_caller()
    {
        var hasher = new GatedPasswordHasher(_gate, new NiceProbe { Failure = new FormatException("not a hash") });

        var error = Assert.Throws<FormatException>(() => hasher.VerifyHashedPassword(new User(), "stored", "presented"));

        Assert.Equal("not a hash", error.Message);
    }

    public void Dispose()
    {
        _gate.Dispose();
        _services.Dispose();
    }

    /// <summary>The nice value of the calling thread, field 19 of its stat line (after the parenthesised name).</summary>
    private static int CurrentThreadNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], CultureInfo.InvariantCulture);
    }

    private sealed class NiceProbe : IPasswordHasher<User>
    {
        public int? NiceWhileHashing { get; private set; }

        public int HashingThread { get; private set; }

        public Exception? Failure { get; init; }

        public string HashPassword(User user, string password)
        {
            Record();
            return "hashed";
        }

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            Record();
            return PasswordVerificationResult.SuccessRehashNeeded;
        }

        private void Record()
        {
            NiceWhileHashing = CurrentThreadNice();
            HashingThread = Environment.CurrentManagedThreadId;
            if (Failure is not null)
                throw Failure;
        }
    }
}
