using FunctionsUploader.Workflow;

namespace FunctionsUploader.Activities;

/// <summary>
/// A job cancelled from outside (the HTTP API, after terminating its orchestration): the same compensation and
/// archive to failed/ that a failed job gets, with the reason "cancelled".
/// </summary>
public sealed class JobCancellation(CompensateActivity compensate, ArchiveActivity archive)
{
    public const string Step = "Cancel";

    public async Task<Archived> CancelAsync(UploadJob job, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var failure = new FailureReport(Step, reason, Permanent: true);
        await compensate.RunAsync(new CompensateRequest(job, failure), cancellationToken);
        return await archive.RunAsync(new ArchiveRequest(job, failure), cancellationToken);
    }
}
