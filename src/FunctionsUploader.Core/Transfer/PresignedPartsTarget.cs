using System.Security.Cryptography;
using FunctionsUploader.Storage;

namespace FunctionsUploader.Transfer;

/// <summary>
/// S3 multipart parts PUT to presigned URLs the vendor issued (Picovico). Each part streams from a ranged read
/// into its PUT; the ETag S3 answers must be the MD5 computed on the way. A PUT refused with 403 (the URL's
/// signature expired) asks the vendor for fresh URLs of the same upload once per set of URLs and is sent again;
/// parts already sent keep their receipts. The vendor's finalize call (with the receipts' ETags) belongs to the
/// connector, so the commit here checks completeness only.
/// </summary>
public sealed class PresignedPartsTarget : ITransferTarget
{
    private readonly HttpClient _http;
    private readonly TransferOptions _options;
    private readonly Func<CancellationToken, Task<PresignedPartsTargetSpec>>? _renew;
    private readonly Lock _gate = new();
    private PresignedPartsTargetSpec _spec;
    private (PresignedPartsTargetSpec Stale, Task<PresignedPartsTargetSpec> Fresh)? _renewal;

    /// <param name="http">A long-lived client; give it an infinite Timeout, the engine bounds each attempt.</param>
    /// <param name="renew">Asks the vendor for fresh URLs of the same upload (Picovico: GET directupload again); null when it cannot.</param>
    public PresignedPartsTarget(PresignedPartsTargetSpec spec, HttpClient http, TransferOptions? options = null, Func<CancellationToken, Task<PresignedPartsTargetSpec>>? renew = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(http);
        _spec = spec;
        _http = http;
        _renew = renew;
        _options = options ?? new TransferOptions();
        Rules = spec.GetPartRules();
        Name = $"upload {spec.UploadId} at {(spec.PartUrls.Count > 0 ? BlobSas.Redact(spec.PartUrls[0]) : "no URL")}";
    }

    public string Name { get; }

    public PartRules Rules { get; }

    /// <summary>Presigned part URLs cannot list parts: a rerun sends every part again, and a re-PUT replaces the part.</summary>
    public Task<IReadOnlyDictionary<int, PartReceipt>> GetHeldPartsAsync(PartPlan plan, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<int, PartReceipt>>(new Dictionary<int, PartReceipt>());

    public async Task<PartReceipt> SendPartAsync(ITransferSource source, Part part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (part.Number < 1 || part.Number > _spec.PartUrls.Count)
        {
            throw new TransferRefusedException($"{Name} has no URL for {part}: the vendor issued {_spec.PartUrls.Count}.");
        }

        var spec = _spec;
        try
        {
            return await PutAsync(source, part, spec.PartUrls[part.Number - 1], cancellationToken);
        }
        catch (TransferHttpException e) when (e.Status == 403 && _renew is not null)
        {
            return await PutAsync(source, part, (await RenewAsync(spec, cancellationToken)).PartUrls[part.Number - 1], cancellationToken);
        }
    }

    public Task<CommitResult> CommitAsync(PartPlan plan, IReadOnlyCollection<PartReceipt> receipts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.CheckComplete(receipts, Name);
        return Task.FromResult(new CommitResult(plan.FileLength, null));
    }

    private async Task<PartReceipt> PutAsync(ITransferSource source, Part part, Uri url, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await using var body = new PartReadStream(await source.OpenReadAsync(part.Offset, part.Length, cancellationToken), part.Length, md5);
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StreamedPartContent(body, part.Length, _options.CopyBufferSize) };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await TransferHttpException.ThrowIfFailedAsync(response, $"Upload of part {part.Number}", BlobSas.Redact(url), cancellationToken);
        var etag = response.Headers.ETag?.Tag;
        return S3PartETag.Receipt(part, Name, Convert.ToHexStringLower(md5.GetHashAndReset()), etag);
    }

    /// <summary>Fresh URLs for the upload, asked once for all the parts that found <paramref name="stale"/> refused.</summary>
    private Task<PresignedPartsTargetSpec> RenewAsync(PresignedPartsTargetSpec stale, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_spec, stale))
            {
                return Task.FromResult(_spec);
            }

            if (_renewal is not { } renewal || !ReferenceEquals(renewal.Stale, stale))
            {
                _renewal = renewal = (stale, FetchFreshAsync(stale, cancellationToken));
            }

            return renewal.Fresh;
        }
    }

    private async Task<PresignedPartsTargetSpec> FetchFreshAsync(PresignedPartsTargetSpec stale, CancellationToken cancellationToken)
    {
        var fresh = await _renew!(cancellationToken);
        if (fresh.UploadId != stale.UploadId || fresh.PartUrls.Count != stale.PartUrls.Count)
        {
            // Parts sent to the old upload would be lost: only a new transfer from the first part could go on.
            throw new TransferIntegrityException($"{Name}: asked for fresh part URLs, the vendor answered another upload ({fresh.UploadId}, {fresh.PartUrls.Count} parts).");
        }

        lock (_gate)
        {
            _spec = fresh;
        }

        return fresh;
    }

    /// <summary>The vendor owns the multipart upload behind its URLs; cancelling it is the connector's call.</summary>
    public Task AbortAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>S3's part ETag is the MD5 of the part's bytes (without SSE-KMS): anything else means the bytes differ.</summary>
internal static class S3PartETag
{
    public static PartReceipt Receipt(Part part, string target, string md5Hex, string? etag)
    {
        if (etag is null)
        {
            throw new TransferIntegrityException($"{target} answered {part} without an ETag, so its bytes cannot be checked.", part.Number);
        }

        if (!string.Equals(etag.Trim('"'), md5Hex, StringComparison.OrdinalIgnoreCase))
        {
            throw new TransferIntegrityException(
                $"{target} reports ETag {etag} for {part}, but the bytes sent have MD5 {md5Hex}: the stored part is not what was sent.", part.Number);
        }

        return new PartReceipt(part.Number, part.Length, md5Hex, etag);
    }
}
