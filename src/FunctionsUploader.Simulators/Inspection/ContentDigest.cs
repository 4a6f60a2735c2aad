using System.Buffers;
using System.Security.Cryptography;

namespace FunctionsUploader.Simulators.Inspection;

/// <summary>Size and MD5 of stored bytes, and the MD5 of each fixed-size segment when asked (S3 part ETags).</summary>
internal sealed record Digest(long Size, string Md5, IReadOnlyList<string> SegmentMd5s);

/// <summary>Computes a <see cref="Digest"/> by streaming the bytes through one pooled buffer: memory never grows with the file.</summary>
internal static class ContentDigest
{
    private const int BufferSize = 1024 * 1024;

    public static async Task<Digest> ComputeAsync(Stream content, long segmentSize = 0, CancellationToken cancellationToken = default)
    {
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var segment = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var segments = new List<string>();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long size = 0, inSegment = 0;
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                whole.AppendData(buffer, 0, read);
                size += read;
                for (var offset = 0; segmentSize > 0 && offset < read;)
                {
                    var take = (int)Math.Min(read - offset, segmentSize - inSegment);
                    segment.AppendData(buffer, offset, take);
                    offset += take;
                    inSegment += take;
                    if (inSegment == segmentSize)
                    {
                        segments.Add(Convert.ToHexStringLower(segment.GetHashAndReset()));
                        inSegment = 0;
                    }
                }
            }

            if (inSegment > 0)
            {
                segments.Add(Convert.ToHexStringLower(segment.GetHashAndReset()));
            }

            return new Digest(size, Convert.ToHexStringLower(whole.GetHashAndReset()), segments);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
