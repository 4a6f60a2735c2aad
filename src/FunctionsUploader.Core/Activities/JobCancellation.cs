using FunctionsUploader.Workflow;

namespace FunctionsUploader.Activities;

/// <summary>
/// A job cancelled from outside (the HTTP API, after terminating its orchestration): first a mark in the job store
/// that copy activities still queued or running obey (terminating an orchestration does not stop its activities),
/// then the same compensation and archive to failed/ that a failed job gets, with the reason given.
/// </summary>
public sealed class JobCancellation(JobDocuments documents, CompensateActivity compensate, ArchiveActivity archive)
{
    public const string Step = "Cancel";

    public async Task<Archived> CancelAsync(UploadJob job, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var failure = new FailureReport(Step, reason, Permanent: true);
        await documents.MarkCancelledAsync(job.JobId, reason, cancellationToken);
        try
        {
            await compensate.RunAsync(new CompensateRequest(job, failure), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The source still goes to failed/, its report naming what may be left at the vendor.
            failure = failure.WithCleanupFailure(e.Message);
        }

        return await archive.RunAsync(new ArchiveRequest(job, failure), cancellationToken);
    }
}
