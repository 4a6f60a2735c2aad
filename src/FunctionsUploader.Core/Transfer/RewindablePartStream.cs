using System.Security.Cryptography;

namespace FunctionsUploader.Transfer;

/// <summary>
/// The UploadPart body AWSSDK.S3 needs: it declares its length and accepts a rewind to its start, which re-opens
/// the source range instead of buffering the part. The SDK rewinds when it signs the payload (it reads the part
/// to hash it, then sends it); the MD5 is that of the last complete pass, the one that was sent.
/// </summary>
internal sealed class RewindablePartStream : Stream
{
    private readonly Func<CancellationToken, Task<Stream>> _open;
    private readonly long _length;
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private PartReadStream? _current;

    private RewindablePartStream(Func<CancellationToken, Task<Stream>> open, long length)
    {
        _open = open;
        _length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _current?.Position ?? 0;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>The MD5 of everything read since the last rewind; complete once a pass read the whole part.</summary>
    public string Md5Hex => Position == _length
        ? Convert.ToHexStringLower(_md5.GetCurrentHash())
        : throw new InvalidOperationException($"The part was read to byte {Position} of {_length}.");

    public static async Task<RewindablePartStream> OpenAsync(Func<CancellationToken, Task<Stream>> open, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        // Opened up front, so that the SDK's first (possibly synchronous) read does not block on the network.
        var stream = new RewindablePartStream(open, length);
        try
        {
            stream._current = new PartReadStream(await open(cancellationToken), length, stream._md5);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Only after a rewind, and only if the SDK then reads synchronously: block on the re-open.
        _current ??= new PartReadStream(_open(CancellationToken.None).GetAwaiter().GetResult(), _length, _md5);
        return _current.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _current ??= new PartReadStream(await _open(cancellationToken), _length, _md5);
        return await _current.ReadAsync(buffer, cancellationToken);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => _length + offset,
        };
        if (target == Position)
        {
            return target;
        }

        if (target != 0)
        {
            throw new NotSupportedException($"A streamed part can only rewind to its start (asked for byte {target}).");
        }

        _current?.Dispose();
        _current = null;
        _md5.GetHashAndReset();
        return 0;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _md5.Dispose();
        }

        base.Dispose(disposing);
    }
}
