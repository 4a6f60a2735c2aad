namespace FunctionsUploader.Storage;

/// <summary>The operations the product needs on one blob: nothing more, so the gap left by Azure.Storage.Blobs stays narrow.</summary>
public interface IBlobClient
{
    /// <summary>The blob's URL without any query string (safe to log).</summary>
    Uri Uri { get; }

    string ContainerName { get; }

    string Name { get; }

    /// <summary>True when this client holds an account key and can sign a SAS for the blob.</summary>
    bool CanGenerateSas { get; }

    Task<BlobProperties> GetPropertiesAsync(BlobConditions? conditions = null, CancellationToken cancellationToken = default);

    /// <summary>True when the blob exists; false on 404; other failures throw.</summary>
    Task<bool> ExistsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens [offset, offset + length) as a stream straight off the network: nothing is buffered beyond the
    /// caller's reads. The caller disposes it. Conditions (If-Match) pin the version being read.
    /// </summary>
    Task<Stream> OpenReadAsync(long offset, long length, BlobConditions? conditions = null, CancellationToken cancellationToken = default);

    /// <summary>Put Blob: one request with the whole content. Seekable content is retried by the pipeline; other streams are sent once.</summary>
    Task<BlobWriteResult> UploadAsync(Stream content, long length, BlobUploadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Put Block from a stream of exactly <paramref name="length"/> bytes, with Content-MD5 when given.</summary>
    Task<BlockWriteResult> StageBlockAsync(string blockId, Stream content, long length, byte[]? contentMd5 = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Put Block From URL: the service reads the range from <paramref name="source"/> (which must be readable by it, e.g. a read SAS).
    /// <paramref name="sourceConditions"/> (If-Match) pins the source version, as <see cref="OpenReadAsync"/> does for streamed reads.
    /// </summary>
    Task<BlockWriteResult> StageBlockFromUriAsync(string blockId, Uri source, long offset, long length, BlobConditions? sourceConditions = null, CancellationToken cancellationToken = default);

    /// <summary>Get Block List (all). A blob that does not exist yet has an empty list.</summary>
    Task<BlockList> GetBlockListAsync(CancellationToken cancellationToken = default);

    Task<BlobWriteResult> CommitBlockListAsync(IReadOnlyList<string> blockIds, BlobUploadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Copy Blob from <paramref name="source"/> (same account, or any URL the service can read), waiting until the copy ends.</summary>
    Task<BlobProperties> CopyFromAsync(Uri source, BlobConditions? sourceConditions = null, BlobConditions? conditions = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the blob; false when it did not exist. A failed condition throws.</summary>
    Task<bool> DeleteIfExistsAsync(BlobConditions? conditions = null, CancellationToken cancellationToken = default);

    /// <summary>A URL that lets its holder read this one blob until <paramref name="expiresOn"/>.</summary>
    Uri GenerateReadSasUri(DateTimeOffset expiresOn);
}

/// <summary>The operations the product needs on one container.</summary>
public interface IBlobContainerClient
{
    Uri Uri { get; }

    string Name { get; }

    /// <summary>Creates the container; false when it already existed.</summary>
    Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default);

    IAsyncEnumerable<BlobItem> ListBlobsAsync(string? prefix = null, CancellationToken cancellationToken = default);

    IBlobClient GetBlobClient(string blobName);
}
