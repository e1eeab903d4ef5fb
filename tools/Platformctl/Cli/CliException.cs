namespace Platform.Platformctl.Cli;

/// <summary>An expected failure: its message is the one line the operator sees, its code the process exit code.</summary>
public sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public CliException()
        : this(ExitCodes.UsageOrUnexpected, "failed")
    {
    }

    public CliException(string message)
        : this(ExitCodes.UsageOrUnexpected, message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = ExitCodes.UsageOrUnexpected;

    public int ExitCode { get; }
}
