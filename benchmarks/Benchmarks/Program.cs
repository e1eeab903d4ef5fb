using BenchmarkDotNet.Running;

namespace Platform.Benchmarks;

// An explicit entry point: Identity's top-level Program would otherwise clash with this one.
public static class BenchmarkEntry
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
}
