using System.Globalization;

namespace FunctionsUploader.Workflow;

/// <summary>
/// The upload orchestration, written once: prepare, copy batches in a sliding window (split into
/// sub-orchestrations for very large files), commit, metadata, categories, status, wait for the vendor's
/// processing on durable timers, archive the source. Any failure compensates at the vendor and archives the
/// source to failed/ with the reason; the result always names a terminal outcome.
/// </summary>
public static class UploadWorkflow
{
    public static async Task<UploadResult> RunAsync(IWorkflowContext context, UploadJob job)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(job);
        var retry = job.Settings.Retry;
        var status = new UploadStatus();
        context.SetCustomStatus(status);

        var step = ActivityNames.Prepare;
        PreparedUpload? prepared = null;
        Committed? committed = null;
        try
        {
            prepared = await context.CallActivityAsync<PreparedUpload>(ActivityNames.Prepare, job, retry.Prepare);
            status = status with
            {
                Phase = UploadPhase.Transferring,
                BytesTotal = prepared.Size,
                PartsTotal = prepared.PartCount,
                VendorAssetId = prepared.VendorAssetId,
            };
            context.SetCustomStatus(status);

            if (!prepared.AlreadyAtVendor)
            {
                step = ActivityNames.CopyBatch;
                status = await TransferAsync(context, job, prepared, status);

                step = ActivityNames.Commit;
                context.SetCustomStatus(status = status with { Phase = UploadPhase.Committing });
                committed = await context.CallActivityAsync<Committed>(ActivityNames.Commit, job, retry.Commit);
                status = status with { VendorAssetId = committed.VendorAssetId };
            }

            context.SetCustomStatus(status = status with { Phase = UploadPhase.Finishing });
            foreach (var finishing in new[] { ActivityNames.SetMetadata, ActivityNames.SetCategories, ActivityNames.SetStatus })
            {
                step = finishing;
                await context.CallActivityAsync<StepOutcome>(finishing, job, retry.Finish);
            }

            step = ActivityNames.CheckProcessing;
            context.SetCustomStatus(status = status with { Phase = UploadPhase.Processing });
            await AwaitProcessingAsync(context, job);
        }
        catch (ActivityFailedException failure)
        {
            var report = new FailureReport(step, failure.Message, failure.IsPermanent);
            context.SetCustomStatus(status = status.WithError(report.Reason) with { Phase = UploadPhase.Failed });
            return await FailAsync(context, job, prepared, status, report);
        }

        // The vendor has the file and has processed it: from here nothing undoes that. A source that cannot be
        // moved stays in staging (its job id is taken, so a repeated event does not upload it again).
        context.SetCustomStatus(status = status with { Phase = UploadPhase.Archiving });
        string? archivedTo = null;
        try
        {
            archivedTo = (await context.CallActivityAsync<Archived>(ActivityNames.Archive, new ArchiveRequest(job, null), retry.Archive)).Destination;
        }
        catch (ActivityFailedException archiveFailure)
        {
            status = status.WithError($"The vendor has the file, but the source stays in staging: {archiveFailure.Message}");
        }

        context.SetCustomStatus(status with { Phase = UploadPhase.Completed });
        return new UploadResult(
            job.JobId, job.Vendor, UploadOutcome.Completed, status.VendorAssetId, prepared.Size,
            prepared.SourceMd5, committed?.DestinationMd5, archivedTo, null);
    }

    /// <summary>What the instance ids of a job's transfer slices start with (hosts find and end them by it).</summary>
    public static string TransferInstancePrefix(string jobId) => $"{jobId}:transfer:";

    private static string TransferInstanceId(string jobId, int slice) => TransferInstancePrefix(jobId) + slice.ToString(CultureInfo.InvariantCulture);

    private static async Task<UploadStatus> TransferAsync(IWorkflowContext context, UploadJob job, PreparedUpload prepared, UploadStatus status)
    {
        var perSlice = Math.Max(1, job.Settings.BatchesPerSubOrchestration);
        if (prepared.BatchCount <= perSlice)
        {
            var slice = new TransferSlice(job, 0, prepared.BatchCount, prepared.ParallelBatches);
            await TransferWorkflow.CopyBatchesAsync(context, slice, status);
            return status with { BytesDone = prepared.Size, PartsDone = prepared.PartCount };
        }

        // Slices run one after another: each keeps its own window full, and the parent's history stays short.
        for (var first = 0; first < prepared.BatchCount; first += perSlice)
        {
            var slice = new TransferSlice(job, first, Math.Min(perSlice, prepared.BatchCount - first), prepared.ParallelBatches);
            var done = await context.CallSubOrchestratorAsync<TransferProgress>(
                OrchestrationNames.Transfer, TransferInstanceId(job.JobId, first / perSlice), slice);
            status = status with { BytesDone = status.BytesDone + done.Bytes, PartsDone = status.PartsDone + done.Parts };
            context.SetCustomStatus(status);
        }

        return status;
    }

    private static async Task AwaitProcessingAsync(IWorkflowContext context, UploadJob job)
    {
        var deadline = context.CurrentUtcDateTime + job.Settings.ProcessingTimeout;
        while (true)
        {
            var check = await context.CallActivityAsync<ProcessingCheck>(ActivityNames.CheckProcessing, job, job.Settings.Retry.Finish);
            if (check.Failed)
            {
                throw new ActivityFailedException(
                    ActivityNames.CheckProcessing, typeof(PermanentFailureException).FullName!, $"The vendor failed to process the file: {check.Message}");
            }

            if (check.Finished)
            {
                return;
            }

            if (context.CurrentUtcDateTime >= deadline)
            {
                throw new ActivityFailedException(
                    ActivityNames.CheckProcessing, typeof(TimeoutException).FullName!,
                    $"The vendor was still processing the file after {job.Settings.ProcessingTimeout}: {check.Message}");
            }

            await context.CreateTimer(context.CurrentUtcDateTime + job.Settings.ProcessingPollInterval, CancellationToken.None);
        }
    }

    private static async Task<UploadResult> FailAsync(IWorkflowContext context, UploadJob job, PreparedUpload? prepared, UploadStatus status, FailureReport report)
    {
        var retry = job.Settings.Retry;
        if (prepared is not null)
        {
            try
            {
                await context.CallActivityAsync<StepOutcome>(ActivityNames.Compensate, new CompensateRequest(job, report), retry.Finish);
            }
            catch (ActivityFailedException cleanup)
            {
                // The reason the job failed matters more; the vendor's leftovers are named in the status.
                report = report.WithCleanupFailure(cleanup.Message);
                context.SetCustomStatus(status = status.WithError(report.Reason));
            }
        }

        string? archivedTo = null;
        try
        {
            archivedTo = (await context.CallActivityAsync<Archived>(ActivityNames.Archive, new ArchiveRequest(job, report), retry.Archive)).Destination;
        }
        catch (ActivityFailedException archiveFailure)
        {
            // The source stays in staging, untouched: nothing is lost, and the status says why it did not move.
            context.SetCustomStatus(status.WithError($"{report.Reason} (the source stays in staging: {archiveFailure.Message})"));
        }

        return new UploadResult(
            job.JobId, job.Vendor, UploadOutcome.Failed, status.VendorAssetId, prepared?.Size ?? 0,
            prepared?.SourceMd5, null, archivedTo, report);
    }
}

/// <summary>The transfer sub-orchestration: a slice of the copy batches, in a sliding window.</summary>
public static class TransferWorkflow
{
    public static async Task<TransferProgress> RunAsync(IWorkflowContext context, TransferSlice slice)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(slice);
        try
        {
            return await CopyBatchesAsync(context, slice, status: null);
        }
        catch (ActivityFailedException e) when (e.IsPermanent)
        {
            // Durable reports a child's failure by the type the child threw: keep "permanent" visible to the parent.
            throw new PermanentFailureException(e.Message);
        }
    }

    /// <summary>
    /// Keeps up to CopyWindow batches in flight and starts the next as soon as one ends (not in waves). With
    /// <paramref name="status"/> it reports progress after each batch.
    /// </summary>
    internal static async Task<TransferProgress> CopyBatchesAsync(IWorkflowContext context, TransferSlice slice, UploadStatus? status)
    {
        var window = slice.Parallel ? Math.Max(1, slice.Job.Settings.CopyWindow) : 1;
        var inFlight = new List<Task<BatchCopied>>();
        var next = slice.FirstBatch;
        var end = slice.FirstBatch + slice.BatchCount;
        var progress = new TransferProgress(0, 0);
        while (next < end || inFlight.Count > 0)
        {
            while (inFlight.Count < window && next < end)
            {
                inFlight.Add(context.CallActivityAsync<BatchCopied>(
                    ActivityNames.CopyBatch, new CopyBatchRequest(slice.Job, next++), slice.Job.Settings.Retry.CopyBatch));
            }

            var finished = await Task.WhenAny(inFlight);
            inFlight.Remove(finished);
            if (!finished.IsCompletedSuccessfully)
            {
                // Let the batches still running end before the failure travels on, so compensation at the
                // vendor never races a copy that is still writing. Awaited one by one on the orchestration's own
                // thread: a continuation on the thread pool would be outside the orchestration's control.
                foreach (var running in inFlight)
                {
                    try
                    {
                        await running;
                    }
                    catch (ActivityFailedException)
                    {
                        // The first failure is the one reported.
                    }
                }
            }

            var batch = await finished;
            progress = new TransferProgress(progress.Parts + batch.Parts, progress.Bytes + batch.Bytes);
            if (status is not null)
            {
                context.SetCustomStatus(status with { BytesDone = status.BytesDone + progress.Bytes, PartsDone = status.PartsDone + progress.Parts });
            }
        }

        return progress;
    }
}
