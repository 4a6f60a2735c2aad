using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FunctionsUploader.Simulators.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace FunctionsUploader.Simulators.Prepr;

/// <summary>
/// POST /assets/{id}/multipart, multipart/form-data: upload_phase=transfer, original_name, file_chunk. [Assumed] The
/// chunk is appended where the received bytes end (the form names no offset); one that would run past file_size is
/// refused with 400 and nothing is kept, so a resent last chunk fails rather than stores twice. A chunk may be at most
/// the tenant's chunk size. The reply is the asset, its source_file showing the range just received. Optional
/// start_offset / end_offset form fields, when sent, must name that range. The chunk is streamed into staged Azure
/// blocks through one buffer: memory never grows with the chunk.
/// </summary>
internal sealed class PreprChunks(PreprAssets assets, BlobStorage storage, TimeProvider time)
{
    private const int PieceSize = 4 * 1024 * 1024;
    private const int MaxFieldLength = 16 * 1024;

    public async Task<IResult> TransferAsync(HttpContext context, string id)
    {
        if (assets.Find(context, id) is not { } asset)
        {
            return PreprJson.NotFound(id);
        }

        if (!asset.TryStartReceiving())
        {
            return PreprJson.Error(409, $"Another chunk of asset {id} is being received: chunks are sent one at a time, in order.");
        }

        try
        {
            var start = asset.Received;
            var room = Math.Min(asset.ChunkSize, asset.FileSize - start);
            if (asset.Label != "Video")
            {
                return PreprJson.Error(400, $"Asset {id} is a {asset.Label}: only videos are uploaded in chunks.");
            }

            if (asset.Processing is not null)
            {
                return PreprJson.Error(400, $"The upload of asset {id} is finished; it takes no more chunks.");
            }

            if (start == asset.FileSize)
            {
                return PreprJson.Error(400, $"All {asset.FileSize} bytes of asset {id} are in: another chunk would be more than the file_size. Finish the upload ({{\"upload_phase\": \"finish\"}}).");
            }

            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(context.Request.ContentType).Boundary).Value;
            if (string.IsNullOrEmpty(boundary))
            {
                return PreprJson.Error(400, "The chunk must be multipart/form-data with a boundary.");
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            (long Length, List<string> BlockIds)? chunk = null;
            var reader = new MultipartReader(boundary, context.Request.Body);
            for (var section = await reader.ReadNextSectionAsync(context.RequestAborted); section is not null; section = await reader.ReadNextSectionAsync(context.RequestAborted))
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                if (name == "file_chunk" && chunk is null)
                {
                    chunk = await ReceiveAsync(storage.Blob(storage.PreprContainer, asset.Id), section.Body, start, room, context.RequestAborted);
                }
                else if (await ReadFieldAsync(section.Body, context.RequestAborted) is { } value)
                {
                    fields[name] = value;
                }
                else
                {
                    return PreprJson.Error(400, $"Form field '{name}' is longer than {MaxFieldLength} bytes.");
                }
            }

            var problem =
                fields.GetValueOrDefault("upload_phase") != "transfer" ? "upload_phase must be \"transfer\" for a chunk."
                : string.IsNullOrWhiteSpace(fields.GetValueOrDefault("original_name")) ? "original_name is required."
                : chunk is null ? "file_chunk is missing."
                : chunk.Value.Length == 0 ? "file_chunk is empty."
                : start + chunk.Value.Length > asset.FileSize
                    ? $"file_chunk has {chunk.Value.Length} bytes; with the {start} received that is more than the file_size of {asset.FileSize}."
                : chunk.Value.Length > asset.ChunkSize ? $"file_chunk has {chunk.Value.Length} bytes; chunks are at most {asset.ChunkSize}."
                : OffsetProblem(fields, "start_offset", start) ?? OffsetProblem(fields, "end_offset", start + chunk.Value.Length);
            if (problem is not null)
            {
                return PreprJson.Error(400, problem);
            }

            lock (asset.Gate)
            {
                asset.OriginalName ??= fields["original_name"];
                asset.Accept(chunk!.Value.BlockIds, chunk.Value.Length, time.GetUtcNow());
            }

            return PreprJson.Ok(asset.ToBody());
        }
        finally
        {
            asset.StopReceiving();
        }
    }

    private static string? OffsetProblem(Dictionary<string, string> fields, string name, long expected) =>
        !fields.TryGetValue(name, out var value) || value == expected.ToString(CultureInfo.InvariantCulture)
            ? null
            : $"{name} is {value}, but this chunk's {name} is {expected}.";

    /// <summary>
    /// Stages the chunk as blocks of at most <see cref="PieceSize"/> bytes, ids by absolute offset (so a resent chunk
    /// replaces its blocks); past <paramref name="expected"/> bytes it only counts, to say how long the chunk was.
    /// </summary>
    private static async Task<(long Length, List<string> BlockIds)> ReceiveAsync(BlockBlobClient blob, Stream chunk, long start, long expected, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(PieceSize);
        var blockIds = new List<string>();
        long received = 0;
        try
        {
            int filled;
            while ((filled = await FillAsync(chunk, buffer, cancellationToken)) > 0)
            {
                if (received + filled <= expected)
                {
                    var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes((start + received).ToString("D20", CultureInfo.InvariantCulture)));
                    using var piece = new MemoryStream(buffer, 0, filled, writable: false);
                    var md5 = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5, PrecalculatedChecksum = MD5.HashData(buffer.AsSpan(0, filled)) };
                    await blob.StageBlockAsync(blockId, piece, new BlockBlobStageBlockOptions { TransferValidation = md5 }, cancellationToken);
                    blockIds.Add(blockId);
                }

                received += filled;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (received, blockIds);
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < PieceSize && (read = await source.ReadAsync(buffer.AsMemory(filled, PieceSize - filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    /// <summary>A text field's value, or null when it is longer than <see cref="MaxFieldLength"/>.</summary>
    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldLength + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > MaxFieldLength ? null : Encoding.UTF8.GetString(buffer, 0, length);
    }
}
