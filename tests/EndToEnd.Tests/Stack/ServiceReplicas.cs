namespace Platform.EndToEnd.Tests.Stack;

/// <summary>
/// Every process of one service behind one address (Identity's instances behind <see cref="IdentityFront"/>). A
/// scenario that stops, kills or restarts "Identity" does it to the whole service, as an outage of the service would:
/// with one instance left running the front would still answer, and the scenario would prove nothing.
/// </summary>
public sealed class ServiceReplicas(IReadOnlyList<ServiceProcess> instances) : IAsyncDisposable
{
    public IReadOnlyList<ServiceProcess> Instances { get; } = instances;

    /// <summary>True while any instance runs.</summary>
    public bool IsRunning => Instances.Any(i => i.IsRunning);

    /// <summary>Every line every instance printed, instance by instance.</summary>
    public IReadOnlyCollection<string> Output => Instances.SelectMany(i => i.Output).ToList();

    /// <summary>Starts every instance at once, as a deployment rolls them out, and waits until all are ready.</summary>
    public async Task StartAsync(TimeSpan? readyTimeout = null)
    {
        foreach (var instance in Instances)
            instance.Launch();
        await Task.WhenAll(Instances.Select(i => i.WaitReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(90))));
    }

    public Task StopAsync() => Task.WhenAll(Instances.Select(i => i.StopAsync()));

    public void Kill()
    {
        foreach (var instance in Instances)
            instance.Kill();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
            await instance.DisposeAsync();
    }
}
