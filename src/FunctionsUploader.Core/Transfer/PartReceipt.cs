namespace FunctionsUploader.Transfer;

/// <summary>
/// What one part left at the service: an activity result, tens of bytes, no secret.
/// <paramref name="Md5Hex"/> is the MD5 of the part's bytes (computed while streaming, or reported by the
/// service for a server-side copy); null when the service held the part before this run.
/// <paramref name="Tag"/> is what the commit needs for the part: the S3 ETag or the Azure block id; null
/// where the commit needs nothing (a single Put Blob, a phased chunk).
/// </summary>
public sealed record PartReceipt(int PartNumber, long Length, string? Md5Hex, string? Tag);

/// <summary>What a commit produced.</summary>
public sealed record CommitResult(long Length, string? ETag);
