using System.Security.Cryptography;

namespace FunctionsUploader.Transfer;

/// <summary>
/// The UploadPart body AWSSDK.S3 needs: it declares its length and accepts a rewind to its start, which re-opens
/// the source range instead of buffering the part. The SDK rewinds when it signs the payload (it reads the part
/// to hash it, then sends it), and so does HttpClient when it resends on a fresh connection. Passes are hashed
/// until one has read the whole part: every complete pass reads the same pinned range, and the service's ETag,
/// checked against that MD5, covers the bytes actually sent. So a signed part costs one MD5, not one per pass
/// (MD5 is the dearest work per byte here). Each hashed pass has its own MD5, so a superseded pass still
/// finishing on another thread cannot disturb another.
/// </summary>
internal sealed class RewindablePartStream : Stream
{
    private readonly Func<CancellationToken, Task<Stream>> _open;
    private readonly long _length;
    private readonly bool _hash;
    private readonly List<Pass> _superseded = [];
    private Pass? _current;
    private Pass? _complete;

    private RewindablePartStream(Func<CancellationToken, Task<Stream>> open, long length, bool hash)
    {
        _open = open;
        _length = length;
        _hash = hash;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => Volatile.Read(ref _current)?.Body.Position ?? 0;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>The MD5 of the part's bytes, from the first pass that read them all; the pass sent last must have read them all too.</summary>
    public string Md5Hex => Volatile.Read(ref _current) is { } pass && pass.Body.Position == _length && (Volatile.Read(ref _complete) ?? pass) is { Md5: { } md5 }
        ? Convert.ToHexStringLower(md5.GetCurrentHash())
        : throw new InvalidOperationException($"The part was not read to its end ({_length} bytes).");

    /// <param name="hash">False when the caller already has the part's MD5 (then <see cref="Md5Hex"/> has none to give).</param>
    public static async Task<RewindablePartStream> OpenAsync(Func<CancellationToken, Task<Stream>> open, long length, bool hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        // Opened up front, so that the SDK's first (possibly synchronous) read does not block on the network.
        var stream = new RewindablePartStream(open, length, hash);
        stream._current = new Pass(await open(cancellationToken), length, hash);
        return stream;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Only after a rewind, and only if the SDK then reads synchronously: block on the re-open.
        var pass = Volatile.Read(ref _current) ?? Begin(_open(CancellationToken.None).GetAwaiter().GetResult());
        return Completing(pass, pass.Body.Read(buffer));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var pass = Volatile.Read(ref _current) ?? Begin(await _open(cancellationToken));
        return Completing(pass, await pass.Body.ReadAsync(buffer, cancellationToken));
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var position = Position;
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => _length + offset,
        };
        if (target == position)
        {
            return target;
        }

        if (target != 0)
        {
            throw new NotSupportedException($"A streamed part can only rewind to its start (asked for byte {target}).");
        }

        // The superseded pass may still be read by a send that is failing on another thread: dispose it with the stream.
        if (Interlocked.Exchange(ref _current, null) is { } superseded)
        {
            lock (_superseded)
            {
                _superseded.Add(superseded);
            }
        }

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
            Interlocked.Exchange(ref _current, null)?.Dispose();
            lock (_superseded)
            {
                _superseded.ForEach(p => p.Dispose());
                _superseded.Clear();
            }
        }

        base.Dispose(disposing);
    }

    private int Completing(Pass pass, int read)
    {
        if (pass.Md5 is not null && pass.Body.Position == _length)
        {
            Interlocked.CompareExchange(ref _complete, pass, null);
        }

        return read;
    }

    private Pass Begin(Stream source)
    {
        var pass = new Pass(source, _length, hash: _hash && Volatile.Read(ref _complete) is null);
        if (Interlocked.CompareExchange(ref _current, pass, null) is { } other)
        {
            pass.Dispose();
            return other;
        }

        return pass;
    }

    /// <summary>One read of the part from its start, with its own MD5 unless an earlier pass already read the whole part.</summary>
    private sealed class Pass : IDisposable
    {
        public Pass(Stream source, long length, bool hash)
        {
            Md5 = hash ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
            Body = new PartReadStream(source, length, Md5);
        }

        public IncrementalHash? Md5 { get; }

        public PartReadStream Body { get; }

        public void Dispose()
        {
            Body.Dispose();
            Md5?.Dispose();
        }
    }
}
