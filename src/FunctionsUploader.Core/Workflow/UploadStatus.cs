namespace FunctionsUploader.Workflow;

/// <summary>
/// The custom status every observer reads (HTTP status endpoint, CLI): a few numbers and short strings, far under
/// Durable's 16 KB limit, and never a secret or a signed URL.
/// </summary>
public sealed record UploadStatus
{
    /// <summary>Longest error text kept in the status; the full reason lives in the result and the error file.</summary>
    public const int MaxErrorLength = 1000;

    public string Phase { get; init; } = UploadPhase.Preparing;

    public long BytesTotal { get; init; }

    public long BytesDone { get; init; }

    public int PartsTotal { get; init; }

    public int PartsDone { get; init; }

    public string? VendorAssetId { get; init; }

    /// <summary>The copy batches running now: their live progress is in the job store (see LiveProgress).</summary>
    public IReadOnlyList<int> BatchesInFlight { get; init; } = [];

    /// <summary>The transfer sub-orchestration running now, whose own status holds its batches.</summary>
    public string? TransferSlice { get; init; }

    /// <summary>Bytes a second over the batches running now; set by the status readers, never by the orchestration.</summary>
    public long? BytesPerSecond { get; init; }

    /// <summary>Seconds left at that rate; set by the status readers.</summary>
    public long? EtaSeconds { get; init; }

    public string? LastError { get; init; }

    /// <summary>What went wrong after the vendor had the file (a step refused, processing not confirmed): the job still completes.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public UploadStatus WithError(string error) => this with { LastError = Shorten(error) };

    public UploadStatus WithWarnings(IEnumerable<string> warnings) => this with { Warnings = [.. warnings.Select(Shorten)] };

    private static string Shorten(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength] + "…";
}

public static class UploadPhase
{
    public const string Preparing = "Preparing";
    public const string Transferring = "Transferring";
    public const string Committing = "Committing";
    public const string Finishing = "Finishing";
    public const string Processing = "Processing";
    public const string Archiving = "Archiving";
    public const string Completed = "Completed";
    public const string Failed = "Failed";
}
