using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Prepr;

/// <summary>One Prepr video asset: its declared size, the bytes received so far (as staged blocks), then encoding.</summary>
internal sealed class PreprAsset(Tenant tenant, string id, long fileSize, int chunkSize, DateTimeOffset createdOn)
{
    private int _receiving;

    public Tenant Tenant { get; } = tenant;

    /// <summary>Held while reading or changing the mutable state below.</summary>
    public Lock Gate { get; } = new();

    public string Id { get; } = id;

    public long FileSize { get; } = fileSize;

    /// <summary>Fixed when the upload starts, so changing the tenant's setting never moves an upload's offsets.</summary>
    public int ChunkSize { get; } = chunkSize;

    public DateTimeOffset CreatedOn { get; } = createdOn;

    public DateTimeOffset ChangedOn { get; set; } = createdOn;

    public string? Name { get; set; }

    public string? Body { get; set; }

    public string? Author { get; set; }

    public string? ReferenceId { get; set; }

    public JsonElement? Tags { get; set; }

    public JsonElement? Collections { get; set; }

    public string? OriginalName { get; set; }

    public long Received { get; private set; }

    /// <summary>Ids of the staged blocks that hold [0, Received), in order.</summary>
    public List<string> BlockIds { get; } = [];

    public ProcessingCountdown? Processing { get; set; }

    public bool Deleted { get; set; }

    public string Status =>
        Deleted ? "deleted"
        : Processing is null ? "uploading"
        : !Processing.Ended ? "encoding"
        : Processing.Fails ? "failed"
        : "ready";

    /// <summary>The range the next chunk must fill; equal offsets once every byte is in.</summary>
    public (long Start, long End) NextRange => (Received, Math.Min(Received + ChunkSize, FileSize));

    /// <summary>Chunks are sequential: only one request may be receiving one at a time.</summary>
    public bool TryStartReceiving() => Interlocked.CompareExchange(ref _receiving, 1, 0) == 0;

    public void StopReceiving() => Volatile.Write(ref _receiving, 0);

    public void Accept(IEnumerable<string> blockIds, long end, DateTimeOffset now)
    {
        BlockIds.AddRange(blockIds);
        Received = end;
        ChangedOn = now;
    }

    public AssetBody ToBody()
    {
        lock (Gate)
        {
            var (start, end) = NextRange;
            return new AssetBody(
                Id,
                CreatedOn,
                ChangedOn,
                "Video",
                Name,
                Body,
                Author,
                ReferenceId,
                Status,
                new SourceFileBody(OriginalName, FileSize, (int)((FileSize + ChunkSize - 1) / ChunkSize), start, end),
                Tags,
                Collections,
                new ItemsBody(Status == "ready" ? [new { id = Id + "-cdn", file = OriginalName }] : []));
        }
    }
}
