using System.Text;
using FunctionsUploader.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Transfer;

/// <summary>
/// An Azure block blob behind a SAS URL. Parts are blocks with deterministic ids, committed by Put Block List.
/// When the source can hand out a read SAS, the destination copies each range itself (Put Block From URL: no
/// bytes through this process); otherwise each range is streamed from a ranged GET into Put Block. A file of one
/// part goes as a single Put Blob.
/// </summary>
public sealed class AzureBlobSasTarget : ITransferTarget
{
    private const string CannotVerifyCopySource = "CannotVerifyCopySource";

    private readonly AzureBlobSasTargetSpec _spec;
    private readonly IBlobClient _blob;
    private readonly TransferOptions _options;
    private readonly ILogger _logger;
    private int _streamOnly;

    public AzureBlobSasTarget(AzureBlobSasTargetSpec spec, TransferOptions? options = null, ILogger<AzureBlobSasTarget>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _options = options ?? new TransferOptions();
        _logger = logger ?? NullLogger<AzureBlobSasTarget>.Instance;
        var clientOptions = new BlobClientOptions { CopyBufferSize = _options.CopyBufferSize };
        clientOptions.Retry.MaxRetries = 0; // The engine retries parts; two layers of retries would multiply.
        _blob = BlobAccount.ForBlobSasUri(spec.UploadUrl, clientOptions);
        Rules = spec.GetPartRules();
        Name = $"Azure blob {_blob.Uri}";
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
            blocks = await _blob.GetBlockListAsync(cancellationToken);
        }
        catch (BlobStorageException e) when (e.Status == 403)
        {
            // Vendors' upload SASes may lack read permission: then every part is sent again, which is correct too.
            _logger.HeldPartsUnavailable(Name, e.Message);
            return new Dictionary<int, PartReceipt>();
        }

        // Put Block List takes an uncommitted block over a committed one of the same id: so do we.
        var held = new Dictionary<int, PartReceipt>();
        foreach (var block in blocks.Committed.Concat(blocks.Uncommitted))
        {
            if (PartNumberOf(block.Id) is { } number && number <= plan.PartCount && plan.GetPart(number).Length == block.Size)
            {
                held[number] = new PartReceipt(number, block.Size, null, block.Id);
            }
        }

        return held;
    }

    public async Task<PartReceipt> SendPartAsync(ITransferSource source, Part part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var serviceReadable = _spec.ServerSideCopy && Volatile.Read(ref _streamOnly) == 0 && part.Length > 0
            ? source.GetServiceReadableSource(_options.SourceUrlLifetime)
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

        return part.Offset == 0 && part.Length == source.Length
            ? await PutBlobAsync(source, part, cancellationToken)
            : await StageStreamedAsync(source, part, cancellationToken);
    }

    public async Task<CommitResult> CommitAsync(PartPlan plan, IReadOnlyCollection<PartReceipt> receipts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var ordered = plan.CheckComplete(receipts, Name);
        if (ordered is [{ Tag: null }])
        {
            // One Put Blob already made the blob whole.
            return await CheckCommittedAsync(plan, ordered.Count, null, cancellationToken);
        }

        var written = await _blob.CommitBlockListAsync(
            ordered.Select(r => r.Tag ?? BlockId(r.PartNumber)).ToList(),
            new BlobUploadOptions { ContentType = _spec.ContentType },
            cancellationToken);
        return await CheckCommittedAsync(plan, ordered.Count, written.ETag, cancellationToken);
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
        var conditions = source.ETag is { } etag ? BlobConditions.IfUnchanged(etag) : null;
        var result = await _blob.StageBlockFromUriAsync(id, source.Url, part.Offset, part.Length, conditions, cancellationToken);
        return new PartReceipt(part.Number, part.Length, result.ContentMd5 is { } md5 ? Convert.ToHexStringLower(md5) : null, id);
    }

    private async Task<PartReceipt> StageStreamedAsync(ITransferSource source, Part part, CancellationToken cancellationToken)
    {
        var id = BlockId(part.Number);
        var md5 = await HashAsync(source, part, cancellationToken);
        await using var body = new PartReadStream(await source.OpenReadAsync(part.Offset, part.Length, cancellationToken), part.Length);
        var result = await _blob.StageBlockAsync(id, body, part.Length, md5, cancellationToken);
        CheckEcho(part, md5, result.ContentMd5);
        return new PartReceipt(part.Number, part.Length, Convert.ToHexStringLower(md5), id);
    }

    private async Task<PartReceipt> PutBlobAsync(ITransferSource source, Part part, CancellationToken cancellationToken)
    {
        var md5 = await HashAsync(source, part, cancellationToken);
        await using var body = new PartReadStream(await source.OpenReadAsync(part.Offset, part.Length, cancellationToken), part.Length);
        var result = await _blob.UploadAsync(body, part.Length, new BlobUploadOptions
        {
            ContentMd5 = md5,
            BlobContentMd5 = md5,
            ContentType = _spec.ContentType,
        }, cancellationToken);
        CheckEcho(part, md5, result.ContentMd5);
        return new PartReceipt(part.Number, part.Length, Convert.ToHexStringLower(md5), null);
    }

    /// <summary>
    /// The MD5 of a range, read once before it is sent: Azure verifies a Content-MD5 declared with the request
    /// (and since 2019-02-02 echoes none otherwise), so a checksum only computed while sending could not be checked.
    /// </summary>
    private async Task<byte[]> HashAsync(ITransferSource source, Part part, CancellationToken cancellationToken) =>
        await PartReadStream.HashAsync(await source.OpenReadAsync(part.Offset, part.Length, cancellationToken), part.Length, _options.CopyBufferSize, cancellationToken);

    private void CheckEcho(Part part, byte[] sent, byte[]? echoed)
    {
        if (echoed is not null && !echoed.AsSpan().SequenceEqual(sent))
        {
            throw new TransferIntegrityException(
                $"{Name} reports MD5 {Convert.ToHexStringLower(echoed)} for {part}, but the bytes sent have MD5 {Convert.ToHexStringLower(sent)}.", part.Number);
        }
    }

    private async Task<CommitResult> CheckCommittedAsync(PartPlan plan, int partCount, string? etag, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await _blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (properties.Length != plan.FileLength)
            {
                throw new TransferIntegrityException($"{Name} holds {properties.Length} bytes after the commit; the file has {plan.FileLength}.");
            }

            etag = properties.ETag;
        }
        catch (BlobStorageException e) when (e.Status == 403)
        {
            _logger.CommittedSizeUnavailable(Name, e.Message);
        }

        _logger.Committed(partCount, plan.FileLength, Name);
        return new CommitResult(plan.FileLength, etag);
    }
}
