namespace Platform.Platformctl;

// An explicit entry type instead of top-level statements: the tests reference Identity too, whose
// top-level Program would otherwise clash with ours.
internal static class Entry
{
    public static Task<int> Main(string[] args) =>
        PlatformctlApp.RunAsync(args, Console.Out, Console.Error, stdin: Console.In);
}
