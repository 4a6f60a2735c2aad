using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask;

namespace FunctionsUploader.Activities;

/// <summary>Step 3, the fan-in: every batch's receipts, checked against the plan, then the vendor's commit.</summary>
[DurableTask(ActivityNames.Commit)]
public sealed class CommitActivity(JobDocuments documents, VendorConnectors connectors) : JobActivity<UploadJob, Committed>
{
    protected override async Task<Committed> ExecuteAsync(UploadJob input, CancellationToken cancellationToken)
    {
        await documents.ThrowIfCancelledAsync(input.JobId, "the commit", cancellationToken);
        var (session, file) = await documents.PreparedAsync(input.JobId, cancellationToken);
        var receipts = await documents.AllReceiptsAsync(input.JobId, file.Batches().Count, cancellationToken);
        var committed = await connectors.Get(input.Vendor).CommitAsync(session, file.Opening(input), file.Plan, receipts, cancellationToken);
        await documents.SaveSessionAsync(input.JobId, committed.Session, cancellationToken);
        return new Committed(committed.VendorAssetId, committed.DestinationMd5Hex);
    }
}
