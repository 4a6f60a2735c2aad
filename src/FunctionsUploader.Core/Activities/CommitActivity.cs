using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;
using FunctionsUploader.Workflow.InProcess;

namespace FunctionsUploader.Activities;

/// <summary>Step 3, the fan-in: every batch's receipts, checked against the plan, then the vendor's commit.</summary>
public sealed class CommitActivity(JobDocuments documents, VendorConnectors connectors) : IActivity<UploadJob, Committed>
{
    public async Task<Committed> RunAsync(UploadJob input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        await documents.ThrowIfCancelledAsync(input.JobId, "the commit", cancellationToken);
        var (session, file) = await documents.PreparedAsync(input.JobId, cancellationToken);
        var receipts = await documents.AllReceiptsAsync(input.JobId, file.Batches().Count, cancellationToken);
        var committed = await connectors.Get(input.Vendor).CommitAsync(session, file.Opening(input), file.Plan, receipts, cancellationToken);
        await documents.SaveSessionAsync(input.JobId, committed.Session, cancellationToken);
        return new Committed(committed.VendorAssetId, committed.DestinationMd5Hex);
    }
}
