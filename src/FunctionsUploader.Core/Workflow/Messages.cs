namespace FunctionsUploader.Workflow;

// Records that cross the orchestration boundary: serialized into its history, so they stay small and never
// carry bytes, credentials or signed URLs. Activities keep those in the job store, keyed by job id.

/// <summary>Where the file comes from: a staging blob (the product) or a local file (the CLI).</summary>
public sealed record SourceRef(string Container, string Name, string? ETag)
{
    public static SourceRef LocalFile(string path) => new(string.Empty, path, null);

    public bool IsLocalFile => Container.Length == 0;

    public override string ToString() => IsLocalFile ? Name : $"{Container}/{Name}";
}

/// <summary>What the user wants the vendor to end up with, besides the bytes.</summary>
public sealed record UploadDetails
{
    public string? Title { get; init; }

    public string? Description { get; init; }

    /// <summary>When the media was made (Panopto's manifest Date); the upload time when not given.</summary>
    public DateTimeOffset? RecordedAt { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The vendor status to set once the upload is in (MediaValet's status, Prepr's publish state).</summary>
    public string? Status { get; init; }

    /// <summary>The vendor folder or collection (Panopto FolderId, ...), when the profile's default is not wanted.</summary>
    public string? Folder { get; init; }

    /// <summary>Upload the file as a new version of this existing asset (MediaValet check-out / check-in) instead of a new asset.</summary>
    public string? NewVersionOf { get; init; }

    /// <summary>Where the result is POSTed, signed, when the job ends (no credentials or query: see UploadInstructions).</summary>
    public string? CallbackUrl { get; init; }
}

/// <summary>The knobs of one run, fixed when the job starts so that every replay sees the same ones.</summary>
public sealed record WorkflowSettings
{
    /// <summary>Copy batches in flight at once (a sliding window); vendors with server-driven offsets get 1.</summary>
    public int CopyWindow { get; init; } = 4;

    /// <summary>Batches one transfer sub-orchestration runs, so no history grows past about a thousand events.</summary>
    public int BatchesPerSubOrchestration { get; init; } = 200;

    /// <summary>About how many bytes one copy activity moves: minutes of work, and at most about 1,000 batches for 200 GB.</summary>
    public long BatchBytes { get; init; } = Transfer.PartPlan.DefaultBatchBytes;

    public TimeSpan ProcessingPollInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ProcessingTimeout { get; init; } = TimeSpan.FromHours(6);

    /// <summary>How often a running copy batch looks for a cancellation from outside (the cancel API).</summary>
    public TimeSpan CancelCheckInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a running copy batch reports its progress to the job store (also every 64 MiB).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    public WorkflowRetryOptions Retry { get; init; } = new();

    /// <summary>What makes these settings unusable, by setting name under <paramref name="section"/> (e.g. "Uploader:Workflow").</summary>
    public IReadOnlyList<string> Problems(string section)
    {
        var problems = new List<string>();
        if (CopyWindow < 1)
        {
            problems.Add($"{section}:CopyWindow must be at least 1 (it is {CopyWindow}).");
        }

        if (BatchesPerSubOrchestration < 1)
        {
            problems.Add($"{section}:BatchesPerSubOrchestration must be at least 1 (it is {BatchesPerSubOrchestration}).");
        }

        if (BatchBytes < 1)
        {
            problems.Add($"{section}:BatchBytes must be at least 1 (it is {BatchBytes}).");
        }

        if (ProcessingPollInterval <= TimeSpan.Zero)
        {
            problems.Add($"{section}:ProcessingPollInterval must be longer than zero (it is {ProcessingPollInterval}).");
        }

        if (CancelCheckInterval <= TimeSpan.Zero)
        {
            problems.Add($"{section}:CancelCheckInterval must be longer than zero (it is {CancelCheckInterval}).");
        }

        if (ProgressInterval <= TimeSpan.Zero)
        {
            problems.Add($"{section}:ProgressInterval must be longer than zero (it is {ProgressInterval}).");
        }

        if (ProcessingTimeout < TimeSpan.Zero)
        {
            problems.Add($"{section}:ProcessingTimeout must not be negative (it is {ProcessingTimeout}).");
        }

        problems.AddRange(Retry.Problems($"{section}:Retry"));
        return problems;
    }
}

/// <summary>The orchestration's input: one file to one vendor.</summary>
public sealed record UploadJob(string JobId, string Vendor, SourceRef Source, UploadDetails Details, WorkflowSettings Settings)
{
    /// <summary>What <see cref="WorkflowVersion"/> intake gives the jobs it starts.</summary>
    public const int CurrentWorkflowVersion = 2;

    /// <summary>The other jobs uploading the same source (one drop, several vendors); the last of them to end archives it.</summary>
    public IReadOnlyList<string> Siblings { get; init; } = [];

    /// <summary>
    /// How the orchestration runs its steps, fixed when the job starts, so that a job in flight during an upgrade
    /// replays the steps it began with. 0 (jobs started before it existed): one activity per step after the commit.
    /// 1: a job of one batch commits in that batch's activity, and the steps after the commit run together in the
    /// Finish activity; a step that fails there, and the steps after it, run as their own activities.
    /// 2: as 1, and Prepare runs as Deliver, which for a job of one batch also copies it, commits and finishes; what
    /// fails there runs as its own activity (CopyBatch, Commit, Finish), with its retries.
    /// </summary>
    public int WorkflowVersion { get; init; }
}

/// <summary>What Prepare found and opened: sizes and counts only; the vendor session itself is in the job store.</summary>
public sealed record PreparedUpload(
    long Size,
    int PartCount,
    int BatchCount,
    bool ParallelBatches,
    string? VendorAssetId,
    bool AlreadyAtVendor,
    string? SourceMd5)
{
    /// <summary>The job's only batch, when Deliver copied it too (with the commit, when that went through as well).</summary>
    public BatchCopied? Copied { get; init; }

    /// <summary>What Finish did, when Deliver ran it too, after the commit.</summary>
    public FinishOutcome? Finished { get; init; }
}

public sealed record CopyBatchRequest(UploadJob Job, int Batch)
{
    /// <summary>
    /// The job's only batch: once it is copied, the activity commits too, saving the job a trip through the engine.
    /// A commit that fails there is left to the Commit activity, with its retries.
    /// </summary>
    public bool ThenCommit { get; init; }
}

public sealed record BatchCopied(int Batch, int Parts, long Bytes)
{
    /// <summary>What the commit left at the vendor, when the batch's activity committed (<see cref="CopyBatchRequest.ThenCommit"/>).</summary>
    public Committed? Committed { get; init; }
}

/// <summary>A transfer sub-orchestration's share of the batches.</summary>
public sealed record TransferSlice(UploadJob Job, int FirstBatch, int BatchCount, bool Parallel)
{
    /// <summary>The slice is the job's only batch, which commits once copied (see <see cref="CopyBatchRequest.ThenCommit"/>).</summary>
    public bool ThenCommit { get; init; }
}

public sealed record TransferProgress(int Parts, long Bytes)
{
    /// <summary>What the commit left at the vendor, when the slice's only batch committed (<see cref="TransferSlice.ThenCommit"/>).</summary>
    public Committed? Committed { get; init; }
}

public sealed record Committed(string VendorAssetId, string? DestinationMd5);

/// <summary>The outcome of a metadata, category, status or compensation step. Not applied = the vendor has no such step.</summary>
public sealed record StepOutcome(bool Applied, string? Note = null);

public sealed record ProcessingCheck(bool Finished, bool Failed, string? Message);

/// <summary>
/// What the Finish activity got done: the first <paramref name="StepsDone"/> finishing steps, applied or refused (a
/// refusal is one of the <paramref name="Warnings"/>); the first processing check, when it answered; the archive, when
/// the vendor had already processed the file and the source moved.
/// </summary>
public sealed record FinishOutcome(int StepsDone, IReadOnlyList<string> Warnings, ProcessingCheck? Processing, Archived? Archived);

/// <summary>Why a job failed: the step, a reason a person can act on, whether retrying later can help.</summary>
public sealed record FailureReport(string Step, string Reason, bool Permanent)
{
    /// <summary>The same failure, its reason also naming a cleanup at the vendor that failed (what may be left there).</summary>
    public FailureReport WithCleanupFailure(string cleanupError) => this with { Reason = $"{Reason} (cleanup at the vendor also failed: {cleanupError})" };
}

public sealed record CompensateRequest(UploadJob Job, FailureReport Failure);

public sealed record ArchiveRequest(UploadJob Job, FailureReport? Failure);

/// <summary>A job's result, to be POSTed to its callback URL.</summary>
public sealed record CallbackRequest(string Url, UploadResult Result);

/// <summary>Where the source went: processed/..., failed/..., or nowhere (a local file stays put).</summary>
public sealed record Archived(string? Destination);

public static class UploadOutcome
{
    public const string Completed = "Completed";
    public const string Failed = "Failed";

    /// <summary>Cancelled from outside (the cancel API): only a callback reports it, the orchestration was terminated.</summary>
    public const string Cancelled = "Cancelled";
}

/// <summary>The orchestration's output.</summary>
public sealed record UploadResult(
    string JobId,
    string Vendor,
    string Outcome,
    string? VendorAssetId,
    long Bytes,
    string? SourceMd5,
    string? DestinationMd5,
    string? ArchivedTo,
    FailureReport? Failure)
{
    /// <summary>What went wrong after the vendor had the file; the job completed all the same.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>When the orchestration began the job, by the engine's clock.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the job reached its outcome (before any completion callback), by the engine's clock.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
}
