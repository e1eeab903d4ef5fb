using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Platform.Identity.PasswordHashing;

/// <summary>
/// Runs each password hash on a thread of its own, scheduled below everything else in the process (nice 10 on Linux).
/// The gate bounds how many hashes run at once; this bounds what they take from the rest: during a login storm the
/// hashes get the CPU that refresh, JWKS, the operator API and token checks leave over, not an equal share of it, and
/// still every idle cycle. A thread per hash, not a long-lived pool, because an unprivileged process may lower a
/// thread's priority but never raise it back; a thread costs tens of microseconds beside a hash's hundreds of
/// milliseconds. The priority is set with <c>setpriority</c>, because .NET's <c>Thread.Priority</c> does not reach the
/// Linux scheduler; on other systems the hash runs inline on the caller's thread.
/// </summary>
internal static class HashingPriority
{
    /// <summary>Nice 10 weighs about a tenth of a normal thread when both want a core.</summary>
    public const int Nice = 10;

    private const int PrioProcess = 0;

    public static T Run<T>(Func<T> hash)
    {
        if (!OperatingSystem.IsLinux())
            return hash();

        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                // On Linux the nice value is per thread, and "who" 0 is the calling thread. A refusal (a sandbox that
                // forbids it) leaves the hash at normal priority, as it ran before.
                _ = SetPriority(PrioProcess, 0, Nice);
                result = hash();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        {
            IsBackground = true,
            Name = "Password hash",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    // DllImport, not LibraryImport: the source-generated stub needs unsafe code in the whole project, and three ints
    // need no marshalling.
    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);
}
