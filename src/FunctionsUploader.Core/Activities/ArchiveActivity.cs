using System.Text.Json;
using FunctionsUploader.Intake;
using FunctionsUploader.Storage;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsUploader.Activities;

/// <summary>
/// The last step: the source moves out of staging, to processed/ when the vendor has it, or to failed/ with
/// &lt;name&gt;.error.json. Copy first, check the copy, then delete the source only if it is the version the job
/// read (ETag): nothing is ever lost, and running twice (after a crash) finds the work done.
/// </summary>
[DurableTask(ActivityNames.Archive)]
public sealed class ArchiveActivity(IServiceProvider services, JobDocuments documents, TimeProvider time) : JobActivity<ArchiveRequest, Archived>
{
    // Resolved only for staging sources, so a CLI run on a local file (nothing to archive) needs no storage account.
    private StagingAccount Staging => services.GetRequiredService<StagingAccount>();

    /// <summary>
    /// Archives the job's source. When other jobs share it (one drop, several vendors), the source stays until all
    /// of them have ended, so none loses its file mid-upload; the last to end moves it, to processed/ only if every
    /// vendor has the file, else to failed/ with a report of each vendor's outcome. Until then: no destination.
    /// </summary>
    protected override async Task<Archived> ExecuteAsync(ArchiveRequest input, CancellationToken cancellationToken)
    {
        var job = input.Job;
        if (job.Siblings.Count == 0)
        {
            return await ArchiveAsync(job.Source, job.JobId, job.Vendor, input.Failure, cancellationToken);
        }

        // Record this job's end before reading the others': of two jobs ending at once, at least one sees both.
        await documents.SaveEndedAsync(job, input.Failure, cancellationToken);
        var group = new List<JobEnded> { new(job.JobId, job.Vendor, input.Failure) };
        foreach (var sibling in job.Siblings)
        {
            if (await documents.EndedAsync(sibling, cancellationToken) is not { } ended)
            {
                return new Archived(null);
            }

            group.Add(ended);
        }

        group.Sort((a, b) => string.CompareOrdinal(a.Vendor, b.Vendor));
        var firstFailed = group.FirstOrDefault(e => e.Failure is not null);
        return await MoveSourceAsync(job.Source, firstFailed?.JobId ?? job.JobId, firstFailed?.Vendor ?? job.Vendor, firstFailed?.Failure, group, cancellationToken);
    }

    /// <summary>
    /// Moves <paramref name="source"/> to processed/, or with a <paramref name="failure"/> to failed/ beside its error
    /// report. Also used for files refused at intake, which have no job (<paramref name="jobId"/> null).
    /// </summary>
    public Task<Archived> ArchiveAsync(SourceRef source, string? jobId, string? vendor, FailureReport? failure, CancellationToken cancellationToken) =>
        MoveSourceAsync(source, jobId, vendor, failure, group: null, cancellationToken);

    private async Task<Archived> MoveSourceAsync(SourceRef source, string? jobId, string? vendor, FailureReport? failure, IReadOnlyList<JobEnded>? group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.IsLocalFile)
        {
            return new Archived(null); // The CLI never moves a user's own file.
        }

        var staging = Staging;
        var destination = failure is null ? staging.Processed : staging.Failed;
        await destination.CreateIfNotExistsAsync(cancellationToken);
        var from = staging.Container(source.Container).GetBlobClient(source.Name);
        var to = destination.GetBlobClient(source.Name);

        if (failure is not null)
        {
            await WriteErrorReportAsync(destination, source, jobId, vendor, failure, group, cancellationToken);
        }

        await MoveAsync(from, to, source.ETag, cancellationToken);
        var sidecar = staging.Container(source.Container).GetBlobClient(source.Name + UploadInstructions.SidecarSuffix);
        if (await sidecar.ExistsAsync(cancellationToken))
        {
            await MoveAsync(sidecar, destination.GetBlobClient(source.Name + UploadInstructions.SidecarSuffix), null, cancellationToken);
        }

        return new Archived($"{destination.Name}/{source.Name}");
    }

    private static async Task MoveAsync(IBlobClient from, IBlobClient to, string? etag, CancellationToken cancellationToken)
    {
        if (!await from.ExistsAsync(cancellationToken) && await to.ExistsAsync(cancellationToken))
        {
            return; // Moved by an earlier run of this activity.
        }

        BlobProperties properties;
        try
        {
            properties = await from.GetPropertiesAsync(etag is null ? null : BlobConditions.IfUnchanged(etag), cancellationToken);
        }
        catch (BlobStorageException e) when (e.Status == 412)
        {
            throw new PermanentFailureException($"{from.ContainerName}/{from.Name} was replaced while it was being uploaded; the new version stays in staging for its own job.");
        }

        var copied = await to.CopyFromAsync(from.Uri, BlobConditions.IfUnchanged(properties.ETag), cancellationToken: cancellationToken);
        if (copied.Length != properties.Length)
        {
            throw new InvalidOperationException($"The copy of {from.ContainerName}/{from.Name} has {copied.Length} bytes, not {properties.Length}; the source stays.");
        }

        await from.DeleteIfExistsAsync(BlobConditions.IfUnchanged(properties.ETag), cancellationToken);
    }

    private async Task WriteErrorReportAsync(
        IBlobContainerClient destination, SourceRef source, string? jobId, string? vendor, FailureReport failure, IReadOnlyList<JobEnded>? group, CancellationToken cancellationToken)
    {
        var report = new
        {
            jobId,
            vendor,
            source = source.ToString(),
            step = failure.Step,
            reason = failure.Reason,
            permanent = failure.Permanent,
            failedAt = time.GetUtcNow(),
            jobs = group?.Select(e => new { jobId = e.JobId, vendor = e.Vendor, outcome = e.Failure is null ? UploadOutcome.Completed : UploadOutcome.Failed, step = e.Failure?.Step, reason = e.Failure?.Reason }),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(report, new JsonSerializerOptions(WorkflowJson.Options) { WriteIndented = true });
        await destination.GetBlobClient(source.Name + BlobNames.ErrorReportSuffix)
            .UploadAsync(new MemoryStream(bytes), bytes.Length, new BlobUploadOptions { ContentType = "application/json" }, cancellationToken);
    }
}
