using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FunctionsUploader.Storage;

namespace FunctionsUploader.Transfer;

/// <summary>
/// A staging blob, read by ranged GETs pinned to one version (If-Match): an overwrite mid-transfer fails the read.
/// A body broken mid-range is resumed by the SDK with another ranged GET (its retry count is the client's).
/// </summary>
public sealed class BlobTransferSource : ITransferSource
{
    private readonly BlobBaseClient _blob;
    private readonly UserDelegationSigner? _delegation;

    public BlobTransferSource(BlobBaseClient blob, long length, string etag, UserDelegationSigner? delegation = null)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        _blob = blob;
        _delegation = delegation;
        Length = length;
        ETag = etag;
    }

    public string Name => BlobErrors.NameOf(_blob);

    public long Length { get; }

    public string ETag { get; }

    /// <summary>The blob as it is now: its length and the ETag every later read is pinned to.</summary>
    public static async Task<BlobTransferSource> OpenAsync(BlobBaseClient blob, UserDelegationSigner? delegation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var properties = await BlobErrors.RunAsync("Get Blob Properties", blob, () => blob.GetPropertiesAsync(cancellationToken: cancellationToken));
        return new BlobTransferSource(blob, properties.Value.ContentLength, properties.Value.ETag.ToString("H"), delegation);
    }

    public async Task<Stream> OpenReadAsync(long offset, long length, CancellationToken cancellationToken = default)
    {
        SourceRange.Check(this, offset, length);
        if (length == 0)
        {
            return Stream.Null;
        }

        var download = await BlobErrors.RunAsync("Get Blob", _blob, () => _blob.DownloadStreamingAsync(
            new BlobDownloadOptions { Range = new HttpRange(offset, length), Conditions = new BlobRequestConditions { IfMatch = new ETag(ETag) } },
            cancellationToken));
        return download.Value.Content;
    }

    public async Task<ServiceReadableSource?> GetServiceReadableSourceAsync(TimeSpan validFor, CancellationToken cancellationToken = default) =>
        await BlobSas.ReadUriAsync(_blob, DateTimeOffset.UtcNow + validFor, _delegation, cancellationToken) is { } url
            ? new ServiceReadableSource(url, ETag)
            : null;
}
