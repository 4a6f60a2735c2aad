using System.Text;
using Azure;
using Azure.Core.Pipeline;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FunctionsUploader.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Transfer;

/// <summary>
/// An Azure block blob behind a SAS URL. Parts are blocks with deterministic ids, committed by Put Block List.
/// When the source can hand out a read SAS, the destination copies each range itself (Put Block From URL: no
/// bytes through this process); otherwise each range is streamed from a ranged GET into Put Block. A file of one
/// part is one block and a commit too: the SDK's Put Blob would buffer a non-seekable body whole. The client makes
/// no retries of its own: the transfer engine retries parts, and two layers would multiply.
/// </summary>
public sealed class AzureBlobSasTarget : ITransferTarget
{
    private const string CannotVerifyCopySource = "CannotVerifyCopySource";

    private readonly AzureBlobSasTargetSpec _spec;
    private readonly BlockBlobClient _blob;
    private readonly TransferOptions _options;
    private readonly ILogger _logger;
    private int _streamOnly;

    /// <param name="transport">The HTTP transport, when not the default (a proxy, or a test's private certificate authority).</param>
    public AzureBlobSasTarget(AzureBlobSasTargetSpec spec, TransferOptions? options = null, ILogger<AzureBlobSasTarget>? logger = null, HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _options = options ?? new TransferOptions();
        _logger = logger ?? NullLogger<AzureBlobSasTarget>.Instance;
        _blob = BlobClients.ForSasUri(spec.UploadUrl, BlobClients.Options(maxRetries: 0, transport));
        Rules = spec.GetPartRules();
        Name = $"Azure blob {BlobSas.Redact(spec.UploadUrl)}";
    }

    public string Name { get; }

    public PartRules Rules { get; }

    /// <summary>The block id of a part: base64 of "part-NNNNNN", the same length for every part as Azure requires.</summary>
    public static string BlockId(int partNumber) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"part-{partNumber:D6}"));

    public async Task<IReadOnlyDictionary<int, PartReceipt>> GetHeldPartsAsync(PartPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        BlockList blocks;
        try
        {
            blocks = (await Run("Get Block List", () => _blob.GetBlockListAsync(BlockListTypes.All, cancellationToken: cancellationToken))).Value;
        }
        catch (BlobStorageException e) when (e.Status == 404)
        {
            return new Dictionary<int, PartReceipt>(); // No block sent yet: the blob does not exist.
        }
        catch (BlobStorageException e) when (e.Status == 403)
        {
            // Vendors' upload SASes may lack read permission: then every part is sent again, which is correct too.
            _logger.HeldPartsUnavailable(Name, e.Message);
            return new Dictionary<int, PartReceipt>();
        }

        // Put Block List takes an uncommitted block over a committed one of the same id: so do we.
        var held = new Dictionary<int, PartReceipt>();
        foreach (var block in blocks.CommittedBlocks.Concat(blocks.UncommittedBlocks))
        {
            if (PartNumberOf(block.Name) is { } number && number <= plan.PartCount && plan.GetPart(number).Length == block.SizeLong)
            {
                held[number] = new PartReceipt(number, block.SizeLong, null, block.Name);
            }
        }

        return held;
    }

    public async Task<PartReceipt> SendPartAsync(ITransferSource source, Part part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var serviceReadable = _spec.ServerSideCopy && Volatile.Read(ref _streamOnly) == 0 && part.Length > 0
            ? await source.GetServiceReadableSourceAsync(_options.SourceUrlLifetime, cancellationToken)
            : null;
        if (serviceReadable is not null)
        {
            try
            {
                return await CopyServerSideAsync(serviceReadable, part, cancellationToken);
            }
            catch (BlobStorageException e) when (e.ErrorCode == CannotVerifyCopySource && !e.IsTransient)
            {
                // The destination cannot reach the source (another cloud, a firewall, an emulator on another host).
                if (Interlocked.Exchange(ref _streamOnly, 1) == 0)
                {
                    _logger.ServerSideCopyUnavailable(Name, e.Message);
                }
            }
        }

        return part.Length == 0
            ? await PutEmptyBlobAsync(part, cancellationToken)
            : await StageStreamedAsync(source, part, cancellationToken);
    }

    public async Task<CommitResult> CommitAsync(PartPlan plan, IReadOnlyCollection<PartReceipt> receipts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var ordered = plan.CheckComplete(receipts, Name);
        if (ordered is [{ Tag: null }])
        {
            // An empty file: one Put Blob already made it.
            return await CheckCommittedAsync(plan, ordered.Count, null, cancellationToken);
        }

        var headers = new BlobHttpHeaders { ContentType = _spec.ContentType };
        if (ordered is [{ Md5Hex: { } md5 }])
        {
            headers.ContentHash = Convert.FromHexString(md5); // One part: its MD5 is the file's, as Put Blob would store it.
        }

        var written = await Run("Put Block List", () => _blob.CommitBlockListAsync(
            ordered.Select(r => r.Tag ?? BlockId(r.PartNumber)),
            new CommitBlockListOptions { HttpHeaders = headers },
            cancellationToken));
        return await CheckCommittedAsync(plan, ordered.Count, written.Value.ETag.ToString("H"), cancellationToken);
    }

    /// <summary>Uncommitted blocks expire on their own after 7 days; deleting the vendor's holder asset is the connector's job.</summary>
    public Task AbortAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    private static int? PartNumberOf(string blockId)
    {
        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(blockId));
            return text.StartsWith("part-", StringComparison.Ordinal) && int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : null;
        }
        catch (FormatException)
        {
            return null; // Someone else's block: not one of our parts.
        }
    }

    private async Task<PartReceipt> CopyServerSideAsync(ServiceReadableSource source, Part part, CancellationToken cancellationToken)
    {
        var id = BlockId(part.Number);
        var options = new StageBlockFromUriOptions
        {
            SourceRange = new HttpRange(part.Offset, part.Length),
            SourceConditions = source.ETag is { } etag ? new RequestConditions { IfMatch = new ETag(etag) } : null,
        };
        var result = await Run("Put Block From URL", () => _blob.StageBlockFromUriAsync(source.Url, id, options, cancellationToken));
        return new PartReceipt(part.Number, part.Length, result.Value.ContentHash is { Length: > 0 } md5 ? Convert.ToHexStringLower(md5) : null, id);
    }

    private async Task<PartReceipt> StageStreamedAsync(ITransferSource source, Part part, CancellationToken cancellationToken)
    {
        var id = BlockId(part.Number);
        var md5 = await HashAsync(source, part, cancellationToken);
        // The SDK wants a body it can rewind: a rewind re-opens the range rather than buffering the part.
        await using var body = await RewindablePartStream.OpenAsync(ct => source.OpenReadAsync(part.Offset, part.Length, ct), part.Length, hash: false, cancellationToken);
        var options = new BlockBlobStageBlockOptions
        {
            TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5, PrecalculatedChecksum = md5 },
        };
        var result = await Run("Put Block", () => _blob.StageBlockAsync(id, body, options, cancellationToken));
        CheckEcho(part, md5, result.Value.ContentHash);
        return new PartReceipt(part.Number, part.Length, Convert.ToHexStringLower(md5), id);
    }

    private async Task<PartReceipt> PutEmptyBlobAsync(Part part, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = _spec.ContentType } };
        await Run("Put Blob", () => _blob.UploadAsync(Stream.Null, options, cancellationToken));
        return new PartReceipt(part.Number, 0, Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(ReadOnlySpan<byte>.Empty)), null);
    }

    /// <summary>
    /// The MD5 of a range, read once before it is sent: Azure verifies a Content-MD5 declared with the request
    /// (and since 2019-02-02 echoes none otherwise), so a checksum only computed while sending could not be checked.
    /// </summary>
    private async Task<byte[]> HashAsync(ITransferSource source, Part part, CancellationToken cancellationToken) =>
        await PartReadStream.HashAsync(await source.OpenReadAsync(part.Offset, part.Length, cancellationToken), part.Length, _options.CopyBufferSize, cancellationToken);

    private void CheckEcho(Part part, byte[] sent, byte[]? echoed)
    {
        if (echoed is { Length: > 0 } && !echoed.AsSpan().SequenceEqual(sent))
        {
            throw new TransferIntegrityException(
                $"{Name} reports MD5 {Convert.ToHexStringLower(echoed)} for {part}, but the bytes sent have MD5 {Convert.ToHexStringLower(sent)}.", part.Number);
        }
    }

    private async Task<CommitResult> CheckCommittedAsync(PartPlan plan, int partCount, string? etag, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await Run("Get Blob Properties", () => _blob.GetPropertiesAsync(cancellationToken: cancellationToken))).Value;
            if (properties.ContentLength != plan.FileLength)
            {
                throw new TransferIntegrityException($"{Name} holds {properties.ContentLength} bytes after the commit; the file has {plan.FileLength}.");
            }

            etag = properties.ETag.ToString("H");
        }
        catch (BlobStorageException e) when (e.Status == 403)
        {
            _logger.CommittedSizeUnavailable(Name, e.Message);
        }

        _logger.Committed(partCount, plan.FileLength, Name);
        return new CommitResult(plan.FileLength, etag);
    }

    private Task<T> Run<T>(string operation, Func<Task<T>> call) => BlobErrors.RunAsync(operation, _blob, call);
}
