using FunctionsUploader.Jobs;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Activities;

/// <summary>The facts Prepare fixed for the whole job: what the file is and how it is cut.</summary>
public sealed record PreparedFile(string FileName, string ContentType, long Size, string? SourceMd5, PartPlan Plan, long BatchBytes)
{
    public IReadOnlyList<PartBatch> Batches() => Plan.GetBatches(BatchBytes);

    public UploadOpening Opening(UploadJob job) => new(job.JobId, FileName, Size, SourceMd5, ContentType, job.Details);
}

/// <summary>How one job ended: with a failure, or without (the vendor has the file).</summary>
public sealed record JobEnded(string JobId, string Vendor, FailureReport? Failure);

/// <summary>The mark a cancellation leaves in the job store.</summary>
public sealed record JobCancelled(string Reason);

/// <summary>A batch's part receipts, as the copy activity left them.</summary>
public sealed record BatchReceipts(int Batch, IReadOnlyList<PartReceipt> Receipts);

/// <summary>The job store documents the activities share, by name, so no two activities spell them differently.</summary>
public sealed class JobDocuments(IJobStore store)
{
    private const string SessionName = "session";
    private const string FileName = "file";
    private const string CancelledName = "cancelled";
    private const string EndedName = "ended";
    private const string ProgressPrefix = "progress-";

    public Task<VendorSession?> SessionAsync(string jobId, CancellationToken cancellationToken) =>
        store.GetAsync<VendorSession>(jobId, SessionName, cancellationToken);

    public Task SaveSessionAsync(string jobId, VendorSession session, CancellationToken cancellationToken) =>
        store.PutAsync(jobId, SessionName, session, cancellationToken);

    public Task<PreparedFile?> FileAsync(string jobId, CancellationToken cancellationToken) =>
        store.GetAsync<PreparedFile>(jobId, FileName, cancellationToken);

    public Task SaveFileAsync(string jobId, PreparedFile file, CancellationToken cancellationToken) =>
        store.PutAsync(jobId, FileName, file, cancellationToken);

    /// <summary>Marks the job cancelled, so copy activities still queued or running stop instead of writing on.</summary>
    public Task MarkCancelledAsync(string jobId, string reason, CancellationToken cancellationToken) =>
        store.PutAsync(jobId, CancelledName, new JobCancelled(reason), cancellationToken);

    /// <summary>Throws the permanent "cancelled" failure when the job was cancelled from outside; <paramref name="step"/> says what stopped.</summary>
    public async Task ThrowIfCancelledAsync(string jobId, string step, CancellationToken cancellationToken)
    {
        if (await CancelledAsync(jobId, cancellationToken) is { } reason)
        {
            throw Cancelled(jobId, reason, step);
        }
    }

    public static PermanentFailureException Cancelled(string jobId, string reason, string step) =>
        new($"Job {jobId} was cancelled ({reason}); {step} stopped.");

    /// <summary>Why the job was cancelled from outside, or null while it was not.</summary>
    public async Task<string?> CancelledAsync(string jobId, CancellationToken cancellationToken) =>
        (await store.GetAsync<JobCancelled>(jobId, CancelledName, cancellationToken))?.Reason;

    /// <summary>Records that the job has ended, and how, for the jobs that share its source.</summary>
    public Task SaveEndedAsync(UploadJob job, FailureReport? failure, CancellationToken cancellationToken) =>
        store.PutAsync(job.JobId, EndedName, new JobEnded(job.JobId, job.Vendor, failure), cancellationToken);

    /// <summary>How the job ended, or null while it has not.</summary>
    public Task<JobEnded?> EndedAsync(string jobId, CancellationToken cancellationToken) =>
        store.GetAsync<JobEnded>(jobId, EndedName, cancellationToken);

    public Task SaveBatchProgressAsync(string jobId, BatchProgress progress, CancellationToken cancellationToken) =>
        store.PutAsync(jobId, ProgressPrefix + progress.Batch.ToString(CultureInfo.InvariantCulture), progress, cancellationToken);

    public Task<BatchProgress?> BatchProgressAsync(string jobId, int batch, CancellationToken cancellationToken) =>
        store.GetAsync<BatchProgress>(jobId, ProgressPrefix + batch.ToString(CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>
    /// The job's transfer lock: held while a batch is sent to a target that appends parts where the last ended, so
    /// that an activity the engine delivers twice never appends the same part twice (the second, waiting, then finds
    /// the part held).
    /// </summary>
    public Task<JobLock> LockTransferAsync(string jobId, CancellationToken cancellationToken) => store.LockAsync(jobId, "transfer", cancellationToken);

    public Task SaveReceiptsAsync(string jobId, BatchReceipts receipts, CancellationToken cancellationToken) =>
        store.PutAsync(jobId, ReceiptsName(receipts.Batch), receipts, cancellationToken);

    /// <summary>The receipts of one batch, or null while it has not been copied in full.</summary>
    public Task<BatchReceipts?> ReceiptsAsync(string jobId, int batch, CancellationToken cancellationToken) =>
        store.GetAsync<BatchReceipts>(jobId, ReceiptsName(batch), cancellationToken);

    public async Task<IReadOnlyList<PartReceipt>> AllReceiptsAsync(string jobId, int batchCount, CancellationToken cancellationToken)
    {
        var all = new List<PartReceipt>();
        for (var batch = 0; batch < batchCount; batch++)
        {
            var receipts = await ReceiptsAsync(jobId, batch, cancellationToken)
                ?? throw new TransferIntegrityException($"Job {jobId}: batch {batch} has no receipts; it was never copied.");
            all.AddRange(receipts.Receipts);
        }

        return all;
    }

    private static string ReceiptsName(int batch) => "batch-" + batch.ToString(CultureInfo.InvariantCulture);

    /// <summary>Both documents Prepare leaves; a step that runs before Prepare finished is a bug, said plainly.</summary>
    public async Task<(VendorSession Session, PreparedFile File)> PreparedAsync(string jobId, CancellationToken cancellationToken)
    {
        var session = await SessionAsync(jobId, cancellationToken);
        var file = await FileAsync(jobId, cancellationToken);
        if (session is null || file is null)
        {
            throw new PermanentFailureException($"Job {jobId} has no vendor session in the job store: Prepare did not finish.");
        }

        return (session, file);
    }
}
