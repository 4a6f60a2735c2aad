namespace FunctionsUploader.Storage;

/// <summary>What Get Blob Properties reports about one blob.</summary>
public sealed record BlobProperties(
    long Length,
    string ETag,
    DateTimeOffset LastModified,
    string? ContentType,
    byte[]? ContentMd5,
    IReadOnlyDictionary<string, string> Metadata,
    string? CopyStatus,
    string? CopyStatusDescription);

/// <summary>One entry of a container listing.</summary>
public sealed record BlobItem(string Name, long Length, string ETag, DateTimeOffset LastModified, byte[]? ContentMd5, IReadOnlyDictionary<string, string> Metadata);

/// <summary>The result of a write that creates or replaces a blob.</summary>
public sealed record BlobWriteResult(string ETag, byte[]? ContentMd5);

/// <summary>
/// What the service says it received for one block: Azure echoes Content-MD5 and/or x-ms-content-crc64
/// (Azurite only the latter), so callers compare what is there.
/// </summary>
public sealed record BlockWriteResult(byte[]? ContentMd5, byte[]? ContentCrc64);

/// <summary>One block of a block blob, by its base64 id.</summary>
public sealed record BlockInfo(string Id, long Size);

/// <summary>The committed and uncommitted blocks of a blob, as Get Block List reports them.</summary>
public sealed record BlockList(IReadOnlyList<BlockInfo> Committed, IReadOnlyList<BlockInfo> Uncommitted)
{
    public static readonly BlockList Empty = new([], []);
}

/// <summary>HTTP conditions on a blob (If-Match / If-None-Match).</summary>
public sealed record BlobConditions(string? IfMatch = null, string? IfNoneMatch = null)
{
    /// <summary>Succeeds only when no blob exists at the destination.</summary>
    public static readonly BlobConditions IfNotExists = new(IfNoneMatch: "*");

    public static BlobConditions IfUnchanged(string etag) => new(IfMatch: etag);
}

/// <summary>Headers and conditions for Put Blob and Put Block List.</summary>
public sealed record BlobUploadOptions
{
    public string? ContentType { get; init; }

    /// <summary>MD5 of the request body (Put Blob only); the service rejects the upload if the bytes differ.</summary>
    public byte[]? ContentMd5 { get; init; }

    /// <summary>MD5 of the whole blob, stored as its Content-MD5 property (Put Block List).</summary>
    public byte[]? BlobContentMd5 { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public BlobConditions? Conditions { get; init; }
}
