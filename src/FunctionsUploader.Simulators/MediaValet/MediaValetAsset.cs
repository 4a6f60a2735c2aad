using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.MediaValet;

internal enum MediaValetStatus
{
    /// <summary>The holder asset POST /uploads creates; bytes go to its SAS URL.</summary>
    Uploading = 0,

    /// <summary>After PATCH /status = 1 (the only value a client sets).</summary>
    Finalized = 1,

    /// <summary>After DELETE /uploads/{id}: gone from the API, kept for inspection.</summary>
    Cancelled = 2,
}

/// <summary>One upload of a MediaValet library; once finalized it is the asset, with its versions.</summary>
internal sealed class MediaValetAsset(Tenant tenant, Guid id, string originalFilename, string uploadFilename, DateTimeOffset createdAt)
{
    public Tenant Tenant { get; } = tenant;

    /// <summary>Held while reading or changing the mutable state below (requests for one asset can run in parallel).</summary>
    public Lock Gate { get; } = new();

    public Guid Id { get; } = id;

    public string OriginalFilename { get; } = originalFilename;

    /// <summary>The blob the upload SAS points at; the PUT must name it as its filename.</summary>
    public string UploadFilename { get; } = uploadFilename;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public MediaValetStatus Status { get; set; }

    public string? Title { get; set; }

    public string? Description { get; set; }

    public long? FileSizeInBytes { get; set; }

    public List<string> Categories { get; } = [];

    public List<string> Keywords { get; } = [];

    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>Version 1 is the finalized upload; each check-in adds one.</summary>
    public List<MediaValetVersion> Versions { get; } = [];

    public MediaValetCheckOut? CheckOut { get; set; }

    /// <summary>The blob holding the current bytes.</summary>
    public string CurrentBlob => Versions.Count > 0 ? Versions[^1].BlobName : UploadFilename;

    public AssetRecord ToRecord()
    {
        lock (Gate)
        {
            return new AssetRecord(
                Id,
                UploadFilename,
                Title,
                Description,
                FileSizeInBytes,
                (int)Status,
                [.. Categories],
                [.. Keywords],
                new Dictionary<string, string>(Attributes),
                CheckOut is not null,
                [.. Versions.Select(v => new VersionRecord(v.Number, v.FileName, v.Comment, v.CreatedAt))]);
        }
    }
}

internal sealed record MediaValetVersion(int Number, string BlobName, string FileName, string? Comment, DateTimeOffset CreatedAt);

/// <summary>A check-out in progress: validated file name, then the upload URL's blob and media file id.</summary>
internal sealed class MediaValetCheckOut(string? comment)
{
    public string? Comment { get; } = comment;

    public string? ValidatedFileName { get; set; }

    public Guid? MediaFileId { get; set; }

    public string? BlobName { get; set; }
}
