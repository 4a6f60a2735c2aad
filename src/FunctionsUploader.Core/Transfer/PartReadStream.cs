using System.Buffers;
using System.Security.Cryptography;

namespace FunctionsUploader.Transfer;

/// <summary>
/// Reads exactly one part from a source stream, forward only, feeding every byte to an MD5 on the way:
/// the checksum is computed while streaming and never needs the part in memory. A source that ends early
/// fails the read rather than let a short part through.
/// </summary>
internal sealed class PartReadStream(Stream inner, long length, IncrementalHash? md5 = null) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Reads a range to its end and returns its MD5: for services that verify a checksum declared before the body.</summary>
    public static async Task<byte[]> HashAsync(Stream source, long length, int bufferSize, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await using var part = new PartReadStream(source, length, md5);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            while (await part.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return md5.GetHashAndReset();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = Wanted(buffer.Length);
        return wanted == 0 ? 0 : Advance(buffer[..inner.Read(buffer[..wanted])]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wanted = Wanted(buffer.Length);
        if (wanted == 0)
        {
            return 0;
        }

        var read = await inner.ReadAsync(buffer[..wanted], cancellationToken);
        return Advance(buffer.Span[..read]);
    }

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

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private int Wanted(int bufferLength) => (int)Math.Min(bufferLength, length - _position);

    private int Advance(ReadOnlySpan<byte> read)
    {
        if (read.Length == 0)
        {
            throw new EndOfStreamException($"The source ended after {_position} of {length} bytes of the part.");
        }

        md5?.AppendData(read);
        _position += read.Length;
        return read.Length;
    }
}
