using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;
using FunctionsUploader.Workflow.InProcess;

namespace FunctionsUploader.Activities;

/// <summary>A step that asks the job's connector one thing about the session Prepare opened.</summary>
public abstract class VendorStepActivity<TOutput>(JobDocuments documents, VendorConnectors connectors) : IActivity<UploadJob, TOutput>
{
    public async Task<TOutput> RunAsync(UploadJob input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (session, _) = await documents.PreparedAsync(input.JobId, cancellationToken);
        return await RunAsync(connectors.Get(input.Vendor), session, input.Details, cancellationToken);
    }

    protected abstract Task<TOutput> RunAsync(IVendorConnector connector, VendorSession session, UploadDetails details, CancellationToken cancellationToken);
}

/// <summary>Step 4a: the job's metadata, where the vendor has a way to set it.</summary>
public sealed class SetMetadataActivity(JobDocuments documents, VendorConnectors connectors) : VendorStepActivity<StepOutcome>(documents, connectors)
{
    protected override Task<StepOutcome> RunAsync(IVendorConnector connector, VendorSession session, UploadDetails details, CancellationToken cancellationToken) =>
        connector.SetMetadataAsync(session, details, cancellationToken);
}

/// <summary>Step 4b: the job's categories.</summary>
public sealed class SetCategoriesActivity(JobDocuments documents, VendorConnectors connectors) : VendorStepActivity<StepOutcome>(documents, connectors)
{
    protected override Task<StepOutcome> RunAsync(IVendorConnector connector, VendorSession session, UploadDetails details, CancellationToken cancellationToken) =>
        connector.SetCategoriesAsync(session, details, cancellationToken);
}

/// <summary>Step 4c: the vendor status (MediaValet's finalize).</summary>
public sealed class SetStatusActivity(JobDocuments documents, VendorConnectors connectors) : VendorStepActivity<StepOutcome>(documents, connectors)
{
    protected override Task<StepOutcome> RunAsync(IVendorConnector connector, VendorSession session, UploadDetails details, CancellationToken cancellationToken) =>
        connector.SetStatusAsync(session, details, cancellationToken);
}

/// <summary>Step 5, polled on durable timers: is the vendor done processing the file?</summary>
public sealed class CheckProcessingActivity(JobDocuments documents, VendorConnectors connectors) : VendorStepActivity<ProcessingCheck>(documents, connectors)
{
    protected override Task<ProcessingCheck> RunAsync(IVendorConnector connector, VendorSession session, UploadDetails details, CancellationToken cancellationToken) =>
        connector.CheckProcessingAsync(session, cancellationToken);
}

/// <summary>
/// After a final failure: remove what the job made at the vendor. A file the vendor already had before the job
/// (dedupe) is never touched, and a job that opened nothing has nothing to undo.
/// </summary>
public sealed class CompensateActivity(JobDocuments documents, VendorConnectors connectors) : IActivity<CompensateRequest, StepOutcome>
{
    public async Task<StepOutcome> RunAsync(CompensateRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var session = await documents.SessionAsync(input.Job.JobId, cancellationToken);
        if (session is null)
        {
            return new StepOutcome(false, "Nothing was opened at the vendor.");
        }

        if (session.AlreadyAtVendor)
        {
            return new StepOutcome(false, "The vendor had this file before the job; it is left as it was.");
        }

        return await connectors.Get(input.Job.Vendor).CancelAsync(session, cancellationToken);
    }
}
