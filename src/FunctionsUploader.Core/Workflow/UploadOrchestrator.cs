using Microsoft.DurableTask;

namespace FunctionsUploader.Workflow;

/// <summary>
/// The upload orchestration: prepare, copy batches in a sliding window (split into transfer sub-orchestrations
/// for very large files), commit, then metadata, categories and status, wait for the vendor's processing on
/// durable timers, archive the source. A failure before the commit compensates at the vendor and archives the
/// source to failed/ with the reason. After the commit the vendor has the bytes, and nothing undoes that: a step
/// the vendor refuses, or processing it never confirms, ends the job Completed with a warning. The steps run
/// together in fewer activities when nothing fails (see <see cref="UploadJob.WorkflowVersion"/>).
/// </summary>
[DurableTask(OrchestrationNames.Upload)]
public sealed class UploadOrchestrator : TaskOrchestrator<UploadJob, UploadResult>
{
    /// <summary>The longest wait between two processing polls (unless the poll interval is set longer).</summary>
    public static readonly TimeSpan LongestPollWait = TimeSpan.FromMinutes(5);

    /// <summary>The steps after the commit, in the order they run (MediaValet's finalize comes last).</summary>
    public static IReadOnlyList<string> FinishingSteps { get; } = [ActivityNames.SetMetadata, ActivityNames.SetCategories, ActivityNames.SetStatus];

    /// <summary>The job's warning for a finishing step the vendor refused: the upload stands.</summary>
    public static string NotApplied(string step, string reason) => $"Delivered; {step} was not applied: {reason}";

    /// <summary>What the instance ids of a job's transfer slices start with (hosts find and end them by it).</summary>
    public static string TransferInstancePrefix(string jobId) => $"{jobId}:transfer:";

    public override async Task<UploadResult> RunAsync(TaskOrchestrationContext context, UploadJob input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var startedAt = context.CurrentUtcDateTime;
        var (result, status) = await UploadAsync(context, input);
        result = result with { StartedAt = startedAt, FinishedAt = context.CurrentUtcDateTime };
        if (input.Details.CallbackUrl is { } url && await CallbackOrchestrator.NotifyAsync(context, new CallbackRequest(url, result), input.Settings.Retry.Finish) is { } warning)
        {
            // The job's outcome stands; the status and result say the callback did not arrive.
            result = result with { Warnings = [.. result.Warnings, warning] };
            context.SetCustomStatus(status.WithWarnings(result.Warnings));
        }

        return result;
    }

    private static async Task<(UploadResult Result, UploadStatus Status)> UploadAsync(TaskOrchestrationContext context, UploadJob job)
    {
        var retry = job.Settings.Retry;
        var status = new UploadStatus();
        context.SetCustomStatus(status);

        var step = ActivityNames.Prepare;
        PreparedUpload? prepared = null;
        Committed? committed = null;
        try
        {
            // A failure here is reported as Prepare's either way: what Deliver runs after Prepare never fails it.
            var preparing = job.WorkflowVersion >= 2 ? ActivityNames.Deliver : ActivityNames.Prepare;
            prepared = await context.CallActivityAsync<PreparedUpload>(preparing, job, retry.Prepare.ToTaskOptions());
            status = status with
            {
                Phase = UploadPhase.Transferring,
                BytesTotal = prepared.Size,
                PartsTotal = prepared.PartCount,
                BytesDone = prepared.Copied?.Bytes ?? 0,
                PartsDone = prepared.Copied?.Parts ?? 0,
                VendorAssetId = prepared.VendorAssetId,
            };
            context.SetCustomStatus(status);

            if (!prepared.AlreadyAtVendor)
            {
                step = ActivityNames.CopyBatch;
                (status, committed) = prepared.Copied is { } copied ? (status, copied.Committed) : await TransferAsync(context, job, prepared, status);

                step = ActivityNames.Commit;
                if (committed is null)
                {
                    context.SetCustomStatus(status = status with { Phase = UploadPhase.Committing });
                    committed = await context.CallActivityAsync<Committed>(ActivityNames.Commit, job, retry.Commit.ToTaskOptions());
                }

                status = status with { VendorAssetId = committed.VendorAssetId };
            }
        }
        catch (TaskFailedException failure)
        {
            var report = new FailureReport(step, failure.FailureDetails.ErrorMessage, TaskFailures.IsPermanent(failure.FailureDetails));
            context.SetCustomStatus(status = status.WithError(report.Reason) with { Phase = UploadPhase.Failed });
            return await FailAsync(context, job, prepared, status, report);
        }

        // Delivered: the vendor holds every byte. From here a failure is reported, never undone.
        var together = prepared.Finished;
        if (together is null)
        {
            context.SetCustomStatus(status = status with { Phase = UploadPhase.Finishing });
            together = await FinishTogetherAsync(context, job);
        }

        var warnings = new List<string>(together?.Warnings ?? []);
        if (warnings.Count > 0)
        {
            status = status.WithWarnings(warnings);
        }

        foreach (var finishing in FinishingSteps.Skip(together?.StepsDone ?? 0))
        {
            try
            {
                await context.CallActivityAsync<StepOutcome>(finishing, job, retry.Finish.ToTaskOptions());
            }
            catch (TaskFailedException refused)
            {
                warnings.Add(NotApplied(finishing, refused.FailureDetails.ErrorMessage));
                context.SetCustomStatus(status = status.WithWarnings(warnings));
            }
        }

        var processing = together?.Processing;
        if (processing is not { Finished: true } and not { Failed: true })
        {
            context.SetCustomStatus(status = status with { Phase = UploadPhase.Processing });
            processing = await AwaitProcessingAsync(context, job, processing);
        }

        FailureReport? failed = null;
        if (processing.Failed)
        {
            // The vendor says it could not process the file: the job failed, but the asset stays for the vendor's
            // own diagnosis; only the source moves, to failed/, with the vendor's words.
            failed = new FailureReport(ActivityNames.CheckProcessing, $"The vendor failed to process the file: {processing.Message}", Permanent: true);
            status = status.WithError(failed.Reason);
        }
        else if (!processing.Finished)
        {
            warnings.Add($"Delivered; processing not confirmed after {job.Settings.ProcessingTimeout}: {processing.Message}");
            status = status.WithWarnings(warnings);
        }

        var archivedTo = together?.Archived?.Destination;
        if (together?.Archived is null)
        {
            context.SetCustomStatus(status = status with { Phase = UploadPhase.Archiving });
            try
            {
                archivedTo = (await context.CallActivityAsync<Archived>(ActivityNames.Archive, new ArchiveRequest(job, failed), retry.Archive.ToTaskOptions())).Destination;
            }
            catch (TaskFailedException archiveFailure)
            {
                // A source that cannot be moved stays in staging (its job id is taken, so a repeated event does not
                // upload it again).
                warnings.Add($"The source stays in staging: {archiveFailure.FailureDetails.ErrorMessage}");
                status = status.WithWarnings(warnings);
            }
        }

        var outcome = failed is null ? UploadOutcome.Completed : UploadOutcome.Failed;
        context.SetCustomStatus(status = status with { Phase = outcome });
        var result = new UploadResult(
            job.JobId, job.Vendor, outcome, status.VendorAssetId, prepared.Size,
            prepared.SourceMd5, committed?.DestinationMd5, archivedTo, failed)
        {
            Warnings = warnings,
        };
        return (result, status);
    }

    private static string TransferInstanceId(string jobId, int slice) => TransferInstancePrefix(jobId) + slice.ToString(CultureInfo.InvariantCulture);

    /// <summary>Copies every batch; the commit too when the job has one batch and started with that (workflow version 1).</summary>
    private static async Task<(UploadStatus Status, Committed? Committed)> TransferAsync(TaskOrchestrationContext context, UploadJob job, PreparedUpload prepared, UploadStatus status)
    {
        var perSlice = Math.Max(1, job.Settings.BatchesPerSubOrchestration);
        if (prepared.BatchCount <= perSlice)
        {
            var slice = new TransferSlice(job, 0, prepared.BatchCount, prepared.ParallelBatches) { ThenCommit = prepared.BatchCount == 1 && job.WorkflowVersion >= 1 };
            var done = await TransferOrchestrator.CopyBatchesAsync(context, slice, status);
            return (status with { BytesDone = prepared.Size, PartsDone = prepared.PartCount }, done.Committed);
        }

        // Slices run one after another: each keeps its own window full, and the parent's history stays short.
        for (var first = 0; first < prepared.BatchCount; first += perSlice)
        {
            var slice = new TransferSlice(job, first, Math.Min(perSlice, prepared.BatchCount - first), prepared.ParallelBatches);
            var sliceId = TransferInstanceId(job.JobId, first / perSlice);
            context.SetCustomStatus(status with { TransferSlice = sliceId });
            var done = await context.CallSubOrchestratorAsync<TransferProgress>(OrchestrationNames.Transfer, slice, new SubOrchestrationOptions(instanceId: sliceId));
            status = status with { BytesDone = status.BytesDone + done.Bytes, PartsDone = status.PartsDone + done.Parts };
            context.SetCustomStatus(status);
        }

        return (status, null);
    }

    /// <summary>
    /// Polls until the vendor has processed the file, says it failed, or the timeout passes; a poll the vendor does
    /// not answer counts as "not yet". The wait between polls doubles up to <see cref="LongestPollWait"/>, so six hours of
    /// processing cost tens of history events, not thousands.
    /// </summary>
    private static async Task<ProcessingCheck> AwaitProcessingAsync(TaskOrchestrationContext context, UploadJob job, ProcessingCheck? first)
    {
        var deadline = context.CurrentUtcDateTime + job.Settings.ProcessingTimeout;
        var interval = job.Settings.ProcessingPollInterval;
        var wait = interval;
        var check = first ?? await CheckProcessingAsync(context, job);
        while (!check.Finished && !check.Failed && context.CurrentUtcDateTime < deadline)
        {
            await context.CreateTimer(context.CurrentUtcDateTime + wait, CancellationToken.None);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, Math.Max(interval.Ticks, LongestPollWait.Ticks)));
            check = await CheckProcessingAsync(context, job);
        }

        return check;
    }

    /// <summary>
    /// The steps after the commit in one activity (<see cref="ActivityNames.Finish"/>), for jobs started with it; null
    /// for older jobs, or when the activity itself failed: then every step runs on its own, as in those jobs. It is
    /// not retried: what it did not get done, the steps' own activities do, with their retries.
    /// </summary>
    private static async Task<FinishOutcome?> FinishTogetherAsync(TaskOrchestrationContext context, UploadJob job)
    {
        if (job.WorkflowVersion < 1)
        {
            return null;
        }

        try
        {
            return await context.CallActivityAsync<FinishOutcome>(ActivityNames.Finish, job);
        }
        catch (TaskFailedException)
        {
            return null;
        }
    }

    private static async Task<ProcessingCheck> CheckProcessingAsync(TaskOrchestrationContext context, UploadJob job)
    {
        try
        {
            return await context.CallActivityAsync<ProcessingCheck>(ActivityNames.CheckProcessing, job, job.Settings.Retry.Finish.ToTaskOptions());
        }
        catch (TaskFailedException unknown)
        {
            return new ProcessingCheck(false, false, $"the vendor did not answer the processing check: {unknown.FailureDetails.ErrorMessage}");
        }
    }

    private static async Task<(UploadResult Result, UploadStatus Status)> FailAsync(TaskOrchestrationContext context, UploadJob job, PreparedUpload? prepared, UploadStatus status, FailureReport report)
    {
        var retry = job.Settings.Retry;
        if (prepared is not null)
        {
            try
            {
                await context.CallActivityAsync<StepOutcome>(ActivityNames.Compensate, new CompensateRequest(job, report), retry.Finish.ToTaskOptions());
            }
            catch (TaskFailedException cleanup)
            {
                // The reason the job failed matters more; the vendor's leftovers are named in the status.
                report = report.WithCleanupFailure(cleanup.FailureDetails.ErrorMessage);
                context.SetCustomStatus(status = status.WithError(report.Reason));
            }
        }

        string? archivedTo = null;
        try
        {
            archivedTo = (await context.CallActivityAsync<Archived>(ActivityNames.Archive, new ArchiveRequest(job, report), retry.Archive.ToTaskOptions())).Destination;
        }
        catch (TaskFailedException archiveFailure)
        {
            // The source stays in staging, untouched: nothing is lost, and the status says why it did not move.
            context.SetCustomStatus(status = status.WithError($"{report.Reason} (the source stays in staging: {archiveFailure.FailureDetails.ErrorMessage})"));
        }

        var result = new UploadResult(
            job.JobId, job.Vendor, UploadOutcome.Failed, status.VendorAssetId, prepared?.Size ?? 0,
            prepared?.SourceMd5, null, archivedTo, report);
        return (result, status);
    }
}

/// <summary>The transfer sub-orchestration: a slice of the copy batches, in a sliding window.</summary>
[DurableTask(OrchestrationNames.Transfer)]
public sealed class TransferOrchestrator : TaskOrchestrator<TransferSlice, TransferProgress>
{
    public override async Task<TransferProgress> RunAsync(TaskOrchestrationContext context, TransferSlice input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            return await CopyBatchesAsync(context, input, new UploadStatus { Phase = UploadPhase.Transferring });
        }
        catch (TaskFailedException e)
        {
            // A failed child reaches the parent as the type this throws, and the batch's own failure details
            // are not kept: say again, in the type, whether the failure is permanent.
            throw TaskFailures.IsPermanent(e.FailureDetails)
                ? new PermanentFailureException(e.FailureDetails.ErrorMessage)
                : new TransferFailedException(e.FailureDetails.ErrorMessage);
        }
    }

    /// <summary>
    /// Keeps up to CopyWindow batches in flight and starts the next as soon as one ends (not in waves). The custom
    /// status counts the batches done onto <paramref name="status"/> and names the ones running.
    /// </summary>
    internal static async Task<TransferProgress> CopyBatchesAsync(TaskOrchestrationContext context, TransferSlice slice, UploadStatus status)
    {
        var window = slice.Parallel ? Math.Max(1, slice.Job.Settings.CopyWindow) : 1;
        var retry = slice.Job.Settings.Retry.CopyBatch.ToTaskOptions();
        var inFlight = new List<Task<BatchCopied>>();
        var running = new List<int>();
        var next = slice.FirstBatch;
        var end = slice.FirstBatch + slice.BatchCount;
        var progress = new TransferProgress(0, 0);
        while (next < end || inFlight.Count > 0)
        {
            while (inFlight.Count < window && next < end)
            {
                running.Add(next);
                inFlight.Add(context.CallActivityAsync<BatchCopied>(ActivityNames.CopyBatch, new CopyBatchRequest(slice.Job, next++) { ThenCommit = slice.ThenCommit }, retry));
            }

            context.SetCustomStatus(Progress(status, progress, running));
            var finished = await Task.WhenAny(inFlight);
            running.RemoveAt(inFlight.IndexOf(finished));
            inFlight.Remove(finished);
            if (!finished.IsCompletedSuccessfully)
            {
                // Let the batches still running end before the failure travels on, so compensation at the vendor
                // never races a copy that is still writing.
                foreach (var other in inFlight)
                {
                    try
                    {
                        await other;
                    }
                    catch (TaskFailedException)
                    {
                        // The first failure is the one reported.
                    }
                }
            }

            var batch = await finished;
            progress = new TransferProgress(progress.Parts + batch.Parts, progress.Bytes + batch.Bytes) { Committed = batch.Committed };
        }

        context.SetCustomStatus(Progress(status, progress, running));
        return progress;
    }

    private static UploadStatus Progress(UploadStatus status, TransferProgress done, List<int> running) =>
        status with { BytesDone = status.BytesDone + done.Bytes, PartsDone = status.PartsDone + done.Parts, BatchesInFlight = [.. running] };
}

/// <summary>A transfer slice that failed after its batches' retries, for a reason that retrying the job later may fix.</summary>
public sealed class TransferFailedException : Exception
{
    public TransferFailedException()
    {
    }

    public TransferFailedException(string message)
        : base(message)
    {
    }

    public TransferFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
