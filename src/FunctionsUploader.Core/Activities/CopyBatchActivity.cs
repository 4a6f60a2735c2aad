using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask;

namespace FunctionsUploader.Activities;

/// <summary>
/// Step 2, fanned out: copy one batch of parts from the source to the vendor's target and keep the receipts in the
/// job store. Parts the target already holds are skipped, so a batch run again after a crash resends only the rest.
/// A job cancelled from outside stops its batches: before they start, and while they run (checked every
/// <see cref="WorkflowSettings.CancelCheckInterval"/>).
/// </summary>
[DurableTask(ActivityNames.CopyBatch)]
public sealed class CopyBatchActivity(JobSources sources, JobDocuments documents, VendorConnectors connectors, TransferEngine engine, TimeProvider time)
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

        var batch = batches[input.Batch];
        var source = await sources.OpenAsync(job.Source, cancellationToken);
        var target = connectors.Get(job.Vendor).CreateTarget(session);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WatchForCancellationAsync(job, stop);
        try
        {
            var progress = await BatchProgressWriter.StartAsync(documents, job, input.Batch, time, stop.Token);
            var receipts = await engine.CopyPartsAsync(source, target, batch, progress, stop.Token);
            await progress.FlushAsync(stop.Token);
            await documents.SaveReceiptsAsync(job.JobId, new BatchReceipts(input.Batch, receipts), stop.Token);
            return new BatchCopied(input.Batch, receipts.Count, receipts.Sum(r => r.Length));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Only the watch cancels stop on its own: the job was cancelled from outside.
            throw JobDocuments.Cancelled(job.JobId, await watch ?? "cancelled", $"batch {input.Batch}");
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
