namespace FunctionsUploader.Transfer;

/// <summary>Where the bytes come from: a staging blob or a local file, read by range.</summary>
public interface ITransferSource
{
    /// <summary>What the source is, safe to log (never a query string).</summary>
    string Name { get; }

    long Length { get; }

    /// <summary>Opens [offset, offset + length) as a forward-only stream straight off the disk or network; the caller disposes it.</summary>
    Task<Stream> OpenReadAsync(long offset, long length, CancellationToken cancellationToken = default);

    /// <summary>
    /// A read-only URL through which a storage service can fetch the bytes itself (Put Block From URL), valid for
    /// <paramref name="validFor"/>; null when the bytes can only flow through this process.
    /// </summary>
    Task<ServiceReadableSource?> GetServiceReadableSourceAsync(TimeSpan validFor, CancellationToken cancellationToken = default);
}

/// <summary>A signed read URL and the version it must still be: never logged, never serialized.</summary>
public sealed class ServiceReadableSource(Uri url, string? etag)
{
    public Uri Url { get; } = url;

    /// <summary>The version the copy must read (If-Match), so that an overwritten source fails instead of mixing versions.</summary>
    public string? ETag { get; } = etag;

    public override string ToString() => Storage.BlobSas.Redact(Url);
}
