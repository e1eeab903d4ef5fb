namespace Platform.Identity.SigningKeys;

/// <summary>
/// One RSA key pair generated ahead, in memory only, so withdrawing a leaked key does not wait for a new key to be
/// generated: on a busy machine that takes from a tenth of a second to well over a second, and it would delay the
/// revocation's event by as much. Taking the pair starts generating the next one in the background.
/// </summary>
public sealed class SpareKeyPair : IDisposable
{
    private readonly Lock _gate = new();
    private Task<RSA> _next = Generate();

    /// <summary>The pair generated ahead, or a new one if it is not ready yet; the caller owns and disposes it.</summary>
    public RSA Take()
    {
        Task<RSA> taken;
        lock (_gate)
        {
            taken = _next;
            _next = Generate();
        }

        return taken.IsCompletedSuccessfully ? taken.Result : RSA.Create(2048);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_next.IsCompletedSuccessfully)
                _next.Result.Dispose();
        }
    }

    private static Task<RSA> Generate() => Task.Run(() =>
    {
        var rsa = RSA.Create(2048);
        // RSA.Create defers generation to first use; exporting forces it now, off the request path.
        rsa.ExportParameters(includePrivateParameters: false);
        return rsa;
    });
}
