using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
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
        await BlobErrors.RunAsync("Create Container", destination, () => destination.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        var from = staging.Container(source.Container).GetBlobClient(source.Name);
        var to = destination.GetBlobClient(source.Name);

        if (failure is not null)
        {
            await WriteErrorReportAsync(destination, source, jobId, vendor, failure, group, cancellationToken);
        }

        await MoveAsync(from, to, source.ETag, cancellationToken);
        var sidecar = staging.Container(source.Container).GetBlobClient(source.Name + UploadInstructions.SidecarSuffix);
        if (await ExistsAsync(sidecar, cancellationToken))
        {
            await MoveAsync(sidecar, destination.GetBlobClient(source.Name + UploadInstructions.SidecarSuffix), null, cancellationToken);
        }

        return new Archived($"{destination.Name}/{source.Name}");
    }

    private static async Task MoveAsync(BlobClient from, BlobClient to, string? etag, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(from, cancellationToken) && await ExistsAsync(to, cancellationToken))
        {
            return; // Moved by an earlier run of this activity.
        }

        BlobProperties properties;
        try
        {
            var conditions = etag is null ? null : new BlobRequestConditions { IfMatch = new ETag(etag) };
            properties = (await BlobErrors.RunAsync("Get Blob Properties", from, () => from.GetPropertiesAsync(conditions, cancellationToken))).Value;
        }
        catch (BlobStorageException e) when (e.Status == 412)
        {
            throw new PermanentFailureException($"{BlobErrors.NameOf(from)} was replaced while it was being uploaded; the new version stays in staging for its own job.");
        }

        var pinned = new BlobRequestConditions { IfMatch = properties.ETag };
        var copy = await BlobErrors.RunAsync("Copy Blob", to, () => to.StartCopyFromUriAsync(from.Uri, new BlobCopyFromUriOptions { SourceConditions = pinned }, cancellationToken));
        var copied = await BlobErrors.RunAsync("Copy Blob", to, async () => (await copy.WaitForCompletionAsync(cancellationToken)).Value);
        if (copied != properties.ContentLength)
        {
            throw new InvalidOperationException($"The copy of {BlobErrors.NameOf(from)} has {copied} bytes, not {properties.ContentLength}; the source stays.");
        }

        await BlobErrors.RunAsync("Delete Blob", from, () => from.DeleteIfExistsAsync(conditions: pinned, cancellationToken: cancellationToken));
    }

    private static async Task<bool> ExistsAsync(BlobClient blob, CancellationToken cancellationToken) =>
        (await BlobErrors.RunAsync("Get Blob Properties", blob, () => blob.ExistsAsync(cancellationToken))).Value;

    private async Task WriteErrorReportAsync(
        BlobContainerClient destination, SourceRef source, string? jobId, string? vendor, FailureReport failure, IReadOnlyList<JobEnded>? group, CancellationToken cancellationToken)
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
        var content = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(report, new JsonSerializerOptions(WorkflowJson.Options) { WriteIndented = true }));
        var blob = destination.GetBlobClient(source.Name + BlobNames.ErrorReportSuffix);
        await BlobErrors.RunAsync("Put Blob", blob, () => blob.UploadAsync(content, Jobs.BlobJobStore.JsonDocumentOptions, cancellationToken));
    }
}
