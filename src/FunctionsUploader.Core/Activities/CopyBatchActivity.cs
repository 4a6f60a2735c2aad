using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;
using FunctionsUploader.Workflow.InProcess;

namespace FunctionsUploader.Activities;

/// <summary>
/// Step 2, fanned out: copy one batch of parts from the source to the vendor's target and keep the receipts in the
/// job store. Parts the target already holds are skipped, so a batch run again after a crash resends only the rest.
/// </summary>
public sealed class CopyBatchActivity(JobSources sources, JobDocuments documents, VendorConnectors connectors, TransferEngine engine)
    : IActivity<CopyBatchRequest, BatchCopied>
{
    public async Task<BatchCopied> RunAsync(CopyBatchRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var job = input.Job;
        var (session, file) = await documents.PreparedAsync(job.JobId, cancellationToken);
        var batches = file.Batches();
        if (input.Batch < 0 || input.Batch >= batches.Count)
        {
            throw new PermanentFailureException($"Job {job.JobId} has batches 0 to {batches.Count - 1}, not {input.Batch}.");
        }

        var batch = batches[input.Batch];
        var source = await sources.OpenAsync(job.Source, cancellationToken);
        var target = connectors.Get(job.Vendor).CreateTarget(session);
        try
        {
            var receipts = await engine.CopyPartsAsync(source, target, batch, cancellationToken: cancellationToken);
            await documents.SaveReceiptsAsync(job.JobId, new BatchReceipts(input.Batch, receipts), cancellationToken);
            return new BatchCopied(input.Batch, receipts.Count, receipts.Sum(r => r.Length));
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }
    }
}
