using System.Globalization;

namespace Platform.Benchmarks.WholeSystem;

public static class Percentiles
{
    /// <summary>Nearest-rank percentile: the smallest sample with at least p% of samples at or below it.</summary>
    public static double Of(IReadOnlyList<double> samples, double percent)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
            return double.NaN;
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Ms(double milliseconds) => milliseconds.ToString("F1", CultureInfo.InvariantCulture);
}
