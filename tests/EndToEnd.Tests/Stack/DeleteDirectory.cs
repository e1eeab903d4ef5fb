namespace Platform.EndToEnd.Tests.Stack;

/// <summary>A temporary folder a stack made, removed with it.</summary>
internal sealed class DeleteDirectory(DirectoryInfo directory) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; failing the run over it is not.
        }

        return ValueTask.CompletedTask;
    }
}
