namespace Platform.Benchmarks;

/// <summary>
/// run.sh --quick exports PLATFORM_BENCH_QUICK=1: a smoke check before a change, in a few minutes. Sizes are passed on
/// the command line; what has no argument (iterations, rounds, trials) reads this instead.
/// </summary>
public static class QuickMode
{
    public static bool IsOn { get; } = Environment.GetEnvironmentVariable("PLATFORM_BENCH_QUICK") == "1";

    /// <summary>The full figure, or the quick one when run.sh --quick started the run.</summary>
    public static int Pick(int full, int quick) => IsOn ? quick : full;
}
