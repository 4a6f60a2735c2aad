using System.Buffers;
using Azure.Core;

namespace FunctionsUploader.Storage;

/// <summary>
/// A request body read once from a stream that cannot rewind (a download in progress), copied through one
/// pooled buffer so memory stays bounded by the buffer, never by the part. Fails clearly if the source ends
/// early or runs long, so a short read cannot be committed as a shorter block.
/// </summary>
internal sealed class ForwardOnlyContent(Stream source, long contentLength, int bufferSize) : RequestContent
{
    private int _written;

    public override bool TryComputeLength(out long length)
    {
        length = contentLength;
        return true;
    }

    public override void WriteTo(Stream stream, CancellationToken cancellation) =>
        WriteToAsync(stream, cancellation).GetAwaiter().GetResult();

    public override async Task WriteToAsync(Stream stream, CancellationToken cancellation)
    {
        if (Interlocked.Exchange(ref _written, 1) == 1)
        {
            throw new InvalidOperationException("A forward-only request body cannot be sent twice; the caller retries the whole part.");
        }

        await CopyExactlyAsync(source, stream, contentLength, bufferSize, cancellation);
    }

    /// <summary>
    /// Copies exactly <paramref name="length"/> bytes through one pooled buffer; a source that ends early fails
    /// instead of producing a short body. Shared with the transfer targets' HttpClient bodies.
    /// </summary>
    internal static async Task CopyExactlyAsync(Stream source, Stream destination, long length, int bufferSize, CancellationToken cancellationToken)
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

    public override void Dispose()
    {
    }
}
