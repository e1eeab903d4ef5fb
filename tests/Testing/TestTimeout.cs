namespace Platform.Testing;

public static class TestTimeout
{
    /// <summary>A token that cancels after the given seconds, so a hung server fails a test instead of the run.</summary>
    public static CancellationToken Token(int seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
