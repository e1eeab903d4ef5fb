using System.Diagnostics;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Waits for the cores to go quiet before a measurement that compares rates or tail latencies. A step before can leave
/// work behind on these shared machines (one peer run began at a load average of 21.6 after the scale run), and a
/// comparison started into it measures that work. Reads <c>/proc/stat</c>, so it sees every process, not this one.
/// </summary>
public static class MachineSettle
{
    /// <summary>Idle share of all cores over one second that counts as quiet.</summary>
    private const double QuietIdle = 0.9;

    /// <summary>Waits until a second passes with the cores at least 90 % idle, or <paramref name="atMost"/> passes.</summary>
    /// <returns>What the report says: the idle share of the last second and how long the wait took.</returns>
    public static async Task<string> WaitAsync(TimeSpan atMost)
    {
        var started = Stopwatch.GetTimestamp();
        double idle;
        do
        {
            var before = Read();
            await Task.Delay(TimeSpan.FromSeconds(1));
            var after = Read();
            idle = (after.Idle - before.Idle) / (double)Math.Max(1, after.Total - before.Total);
        }
        while (idle < QuietIdle && Stopwatch.GetElapsedTime(started) < atMost);

        return string.Create(CultureInfo.InvariantCulture,
            $"cores {idle:P0} idle at the start, after {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s of waiting for them to settle");
    }

    /// <summary>The first line of /proc/stat: jiffies per state summed over all cores; idle and I/O wait count as idle.</summary>
    private static (long Idle, long Total) Read()
    {
        using var reader = new StreamReader("/proc/stat");
        var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        return (fields[3] + fields[4], fields.Take(8).Sum());
    }
}
