using FunctionsUploader.Storage;

namespace FunctionsUploader.Transfer;

/// <summary>A staging blob, read by ranged GETs pinned to one version (If-Match): an overwrite mid-transfer fails the read.</summary>
public sealed class BlobTransferSource : ITransferSource
{
    private readonly IBlobClient _blob;

    public BlobTransferSource(IBlobClient blob, long length, string etag)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        _blob = blob;
        Length = length;
        ETag = etag;
    }

    public string Name => $"{_blob.ContainerName}/{_blob.Name}";

    public long Length { get; }

    public string ETag { get; }

    /// <summary>The blob as it is now: its length and the ETag every later read is pinned to.</summary>
    public static async Task<BlobTransferSource> OpenAsync(IBlobClient blob, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        return new BlobTransferSource(blob, properties.Length, properties.ETag);
    }

    public async Task<Stream> OpenReadAsync(long offset, long length, CancellationToken cancellationToken = default)
    {
        SourceRange.Check(this, offset, length);
        return length == 0 ? Stream.Null : await _blob.OpenReadAsync(offset, length, BlobConditions.IfUnchanged(ETag), cancellationToken);
    }

    public ServiceReadableSource? GetServiceReadableSource(TimeSpan validFor) =>
        _blob.CanGenerateSas ? new ServiceReadableSource(_blob.GenerateReadSasUri(DateTimeOffset.UtcNow + validFor), ETag) : null;
}
