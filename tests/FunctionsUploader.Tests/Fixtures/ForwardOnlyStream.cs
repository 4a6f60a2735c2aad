namespace FunctionsUploader.Tests.Fixtures;

/// <summary>
/// Wraps a stream so it cannot seek or report its length, like a download in progress. An observer sees, and may
/// change, the bytes of each read: to count them, or to corrupt one on the way.
/// </summary>
public sealed class ForwardOnlyStream(Stream inner, ForwardOnlyStream.ReadObserver? observe = null) : Stream
{
    public delegate void ReadObserver(Span<byte> read);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Observed(buffer.AsSpan(offset), inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Observed(buffer.Span, read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Observed(Span<byte> buffer, int read)
    {
        observe?.Invoke(buffer[..read]);
        return read;
    }
}
