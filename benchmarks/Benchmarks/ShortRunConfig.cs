using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Platform.Benchmarks;

/// <summary>
/// Few iterations so the whole run fits in minutes on two shared cores, yet enough (ten) that the outlier removal can
/// drop an iteration slowed by other work on the machine; figures are only compared as ratios measured in the same
/// run, never against absolute times from another machine.
/// </summary>
public sealed class ShortRunConfig : ManualConfig
{
    public ShortRunConfig()
    {
        // Quick mode is a smoke check before a change: one warm-up and three short iterations give the order of
        // magnitude of every ratio in a fraction of the time. The overhead stage alone would take longer than that; its
        // nanosecond or so matters only to the deny-list lookup, which the full run measures.
        var job = QuickMode.IsOn
            ? Job.Default.WithWarmupCount(1).WithIterationCount(3).WithIterationTime(TimeInterval.FromMilliseconds(150))
                .WithEvaluateOverhead(false)
            : Job.Default.WithWarmupCount(3).WithIterationCount(10);
        AddJob(job.WithLaunchCount(1).WithId("short")
            // In process: the assembly is Platform.Benchmarks but the project is Benchmarks, which the generated-project
            // toolchain cannot find; it also saves a build per benchmark class on a shared machine.
            .WithToolchain(InProcessEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumnProvider(DefaultColumnProviders.Instance);
        AddColumn(StatisticColumn.P95);
        AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
        // One summary per class: a joined one would compute every ratio against a single baseline.
        WithOptions(ConfigOptions.DisableLogFile);
    }
}
