using System.Buffers;
using System.Net;

namespace FunctionsUploader.Transfer;

/// <summary>
/// An HttpClient request body of known length copied from a forward-only part stream through one pooled buffer.
/// It can be sent once: a second attempt (the handler retrying on a fresh connection) fails as an I/O error, so
/// the engine retries the whole part from a fresh read instead of sending a body that starts mid-part.
/// </summary>
internal sealed class StreamedPartContent(Stream source, long length, int bufferSize) : HttpContent
{
    private int _sent;

    protected override bool TryComputeLength(out long contentLength)
    {
        contentLength = length;
        return true;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _sent, 1) == 1
            ? throw new IOException("A streamed part body cannot be sent twice; the part is retried from a fresh read.")
            : CopyExactlyAsync(source, stream, length, bufferSize, cancellationToken);

    /// <summary>Copies exactly <paramref name="length"/> bytes through one pooled buffer; a source that ends early fails instead of producing a short body.</summary>
    private static async Task CopyExactlyAsync(Stream source, Stream destination, long length, int bufferSize, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            long total = 0;
            while (total < length)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - total)), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException($"The source ended after {total} of {length} bytes.");
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
