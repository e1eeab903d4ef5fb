namespace Platform.ServiceDefaults.Http;

/// <summary>
/// A request body that refuses to yield more than the limit, for bodies that declare no length (chunked). Kestrel
/// enforces its own limit too; this holds the same line on servers that do not (the test server, a host that ignores
/// Kestrel's options), so the limit is the platform's rule rather than a server setting. Past the limit a read throws
/// the 413 <see cref="BadHttpRequestException"/> the platform's exception handler answers as a problem.
/// </summary>
internal sealed class BoundedRequestBody(Stream inner, long maxBytes) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        if (_read > maxBytes)
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        return read;
    }
}
