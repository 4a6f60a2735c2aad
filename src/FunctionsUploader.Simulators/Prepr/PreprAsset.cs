using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Prepr;

/// <summary>
/// One Prepr asset: a video receiving chunks (its declared size, the bytes so far as staged blocks), or a photo,
/// document or audio file that arrived whole; then processing, after which cdn_files holds a file.
/// </summary>
internal sealed class PreprAsset(Tenant tenant, string id, string label, long fileSize, int chunkSize, DateTimeOffset createdOn)
{
    private int _receiving;

    public Tenant Tenant { get; } = tenant;

    /// <summary>Held while reading or changing the mutable state below.</summary>
    public Lock Gate { get; } = new();

    public string Id { get; } = id;

    /// <summary>Video, Photo, Document or Audio.</summary>
    public string Label { get; } = label;

    public long FileSize { get; } = fileSize;

    /// <summary>[Assumed] The largest chunk taken, fixed when the upload starts; Prepr documents only its default.</summary>
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

    /// <summary>Where the last chunk began: with <see cref="Received"/> the range a reply shows, as a finished Prepr asset does.</summary>
    public long LastChunkStart { get; private set; }

    public int ChunksReceived { get; private set; }

    /// <summary>Ids of the staged blocks that hold [0, Received), in order.</summary>
    public List<string> BlockIds { get; } = [];

    public ProcessingCountdown? Processing { get; set; }

    public bool Deleted { get; set; }

    /// <summary>What the simulator knows, for inspection only; the asset JSON carries no such word.</summary>
    public string State =>
        Deleted ? "deleted"
        : Processing is null ? "uploading"
        : !Processing.Ended ? "processing"
        : Processing.Fails ? "failed"
        : "processed";

    /// <summary>Chunks are sequential: only one request may be receiving one at a time.</summary>
    public bool TryStartReceiving() => Interlocked.CompareExchange(ref _receiving, 1, 0) == 0;

    public void StopReceiving() => Volatile.Write(ref _receiving, 0);

    public void Accept(IEnumerable<string> blockIds, long length, DateTimeOffset now)
    {
        BlockIds.AddRange(blockIds);
        LastChunkStart = Received;
        Received += length;
        ChunksReceived++;
        ChangedOn = now;
    }

    /// <summary>
    /// The asset as Prepr's JSON shows one (vpro/prepr fixtures): status null (Prepr's status words are publishing
    /// states), source_file with the last chunk's range, cdn_files an array that fills once processing is done.
    /// [Assumed] a failed processing shows status "failed": no source shows how Prepr reports one.
    /// </summary>
    public AssetBody ToBody()
    {
        lock (Gate)
        {
            var state = State;
            return new AssetBody(
                Id,
                CreatedOn,
                ChangedOn,
                Label,
                Name,
                Body,
                Author,
                ReferenceId,
                state == "failed" ? "failed" : null,
                OriginalName,
                new SourceFileBody("SourceFile", OriginalName, FileSize, ChunksReceived, LastChunkStart, Received),
                Tags,
                Collections,
                state == "processed" ? [new CdnFileBody(Id + "-cdn", "CdnFile", Id + Path.GetExtension(OriginalName ?? string.Empty))] : []);
        }
    }
}
