using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Activities;

/// <summary>
/// Step 2, fanned out: copy one batch of parts from the source to the vendor's target and keep the receipts in the
/// job store. Parts the target already holds are skipped, so a batch run again after a crash resends only the rest.
/// A job cancelled from outside stops its batches: before they start, and while they run (checked every
/// <see cref="WorkflowSettings.CancelCheckInterval"/>).
/// </summary>
/// <remarks>
/// The only batch of a job commits too (<see cref="CopyBatchRequest.ThenCommit"/>), but only in the attempt that
/// copied it: an attempt that finds the batch's receipts already saved may follow a commit that went through, so it
/// copies nothing more and leaves the commit to the Commit activity, which the orchestration runs next.
/// A target that appends parts where the last ended (Prepr) is sent to under the job's transfer lock, so that the same
/// batch delivered twice at once never appends a part twice.
/// </remarks>
[DurableTask(ActivityNames.CopyBatch)]
public sealed class CopyBatchActivity(
    JobSources sources, JobDocuments documents, VendorConnectors connectors, TransferEngine engine, TimeProvider time, CommitActivity commit, ILogger<CopyBatchActivity> logger)
    : JobActivity<CopyBatchRequest, BatchCopied>
{
    protected override async Task<BatchCopied> ExecuteAsync(CopyBatchRequest input, CancellationToken cancellationToken)
    {
        var job = input.Job;
        var (session, file) = await documents.PreparedAsync(job.JobId, cancellationToken);
        var batches = file.Batches();
        if (input.Batch < 0 || input.Batch >= batches.Count)
        {
            throw new PermanentFailureException($"Job {job.JobId} has batches 0 to {batches.Count - 1}, not {input.Batch}.");
        }

        await documents.ThrowIfCancelledAsync(job.JobId, $"batch {input.Batch}", cancellationToken);
        if (input.ThenCommit && await documents.ReceiptsAsync(job.JobId, input.Batch, cancellationToken) is { } earlier)
        {
            return Copied(earlier);
        }

        var copied = Copied(await CopyAsync(job, session, batches[input.Batch], input.Batch, cancellationToken));
        if (!input.ThenCommit)
        {
            return copied;
        }

        return copied with { Committed = await TryStepAsync(logger, job.JobId, ActivityNames.Commit, ActivityNames.CopyBatch, () => commit.RunAsync(job, cancellationToken)) };
    }

    private static BatchCopied Copied(BatchReceipts batch) => new(batch.Batch, batch.Receipts.Count, batch.Receipts.Sum(r => r.Length));

    private async Task<BatchReceipts> CopyAsync(UploadJob job, VendorSession session, PartBatch batch, int index, CancellationToken cancellationToken)
    {
        var source = await sources.OpenAsync(job.Source, cancellationToken);
        var target = connectors.Get(job.Vendor).CreateTarget(session);
        await using var hold = target.Rules.ParallelParts ? null : await documents.LockTransferAsync(job.JobId, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, hold?.Lost ?? CancellationToken.None);
        var watch = WatchForCancellationAsync(job, stop);
        try
        {
            var progress = await BatchProgressWriter.StartAsync(documents, job, index, time, stop.Token);
            var receipts = new BatchReceipts(index, await engine.CopyPartsAsync(source, target, batch, progress, stop.Token));
            await progress.FlushAsync(stop.Token);
            await documents.SaveReceiptsAsync(job.JobId, receipts, stop.Token);
            return receipts;
        }
        catch (OperationCanceledException) when (hold is { Lost.IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            // Retryable: the next attempt waits for the lock and sends only what the target does not hold.
            throw new IOException($"Job {job.JobId}: batch {index} stopped, because its hold on the job's transfer lock lapsed.");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Only the watch cancels stop on its own: the job was cancelled from outside.
            throw JobDocuments.Cancelled(job.JobId, await watch ?? "cancelled", $"batch {index}");
        }
        finally
        {
            await stop.CancelAsync();
            await watch;
            (target as IDisposable)?.Dispose();
        }
    }

    /// <summary>Polls the job's cancellation mark until <paramref name="stop"/> fires; cancels it when the mark appears, and returns the reason.</summary>
    private async Task<string?> WatchForCancellationAsync(UploadJob job, CancellationTokenSource stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(job.Settings.CancelCheckInterval, stop.Token);
                if (await documents.CancelledAsync(job.JobId, stop.Token) is { } reason)
                {
                    await stop.CancelAsync();
                    return reason;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
