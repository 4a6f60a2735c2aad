using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Activities;

/// <summary>A step that asks the job's connector one thing about the session Prepare opened.</summary>
public abstract class VendorStepActivity<TOutput>(JobDocuments documents, VendorConnectors connectors) : JobActivity<UploadJob, TOutput>
{
    protected override async Task<TOutput> ExecuteAsync(UploadJob input, CancellationToken cancellationToken)
    {
        var (session, _) = await documents.PreparedAsync(input.JobId, cancellationToken);
        return await AskAsync(connectors.Get(input.Vendor), session, input.Details, cancellationToken);
    }

    protected abstract Task<TOutput> AskAsync(IVendorConnector connector, VendorSession session, UploadDetails details, CancellationToken cancellationToken);
}

/// <summary>Step 4a: the job's metadata, where the vendor has a way to set it.</summary>
[DurableTask(ActivityNames.SetMetadata)]
public sealed class SetMetadataActivity(JobDocuments documents, VendorConnectors connectors) : VendorStepActivity<StepOutcome>(documents, connectors)
{
    protected override Task<StepOutcome> AskAsync(IVendorConnector connector, VendorSession session, UploadDetails details, CancellationToken cancellationToken) =>
        connector.SetMetadataAsync(session, details, cancellationToken);
}

/// <summary>Step 4b: the job's categories.</summary>
[DurableTask(ActivityNames.SetCategories)]
public sealed class SetCategoriesActivity(JobDocuments documents, VendorConnectors connectors) : VendorStepActivity<StepOutcome>(documents, connectors)
{
    protected override Task<StepOutcome> AskAsync(IVendorConnector connector, VendorSession session, UploadDetails details, CancellationToken cancellationToken) =>
        connector.SetCategoriesAsync(session, details, cancellationToken);
}

/// <summary>Step 4c: the vendor status (MediaValet's finalize).</summary>
[DurableTask(ActivityNames.SetStatus)]
public sealed class SetStatusActivity(JobDocuments documents, VendorConnectors connectors) : VendorStepActivity<StepOutcome>(documents, connectors)
{
    protected override Task<StepOutcome> AskAsync(IVendorConnector connector, VendorSession session, UploadDetails details, CancellationToken cancellationToken) =>
        connector.SetStatusAsync(session, details, cancellationToken);
}

/// <summary>Step 5, polled on durable timers: is the vendor done processing the file?</summary>
[DurableTask(ActivityNames.CheckProcessing)]
public sealed class CheckProcessingActivity(JobDocuments documents, VendorConnectors connectors) : VendorStepActivity<ProcessingCheck>(documents, connectors)
{
    protected override Task<ProcessingCheck> AskAsync(IVendorConnector connector, VendorSession session, UploadDetails details, CancellationToken cancellationToken) =>
        connector.CheckProcessingAsync(session, cancellationToken);
}

/// <summary>
/// Everything after the commit in one activity, when nothing goes wrong: metadata, categories and status in order,
/// the first processing check, and the archive when the vendor has already processed the file. One activity in place
/// of five saves a job four trips through the engine's queues and history. A step the vendor refuses is a warning,
/// worded as when the step runs on its own. At the first step that fails for a reason retrying may fix, it stops and
/// says how far it got: the orchestration runs that step and the rest as their own activities, with their retries.
/// A processing check or an archive that fails is likewise left to the orchestration.
/// </summary>
[DurableTask(ActivityNames.Finish)]
public sealed class FinishActivity(
    SetMetadataActivity metadata,
    SetCategoriesActivity categories,
    SetStatusActivity status,
    CheckProcessingActivity processing,
    ArchiveActivity archive,
    ILogger<FinishActivity> logger) : JobActivity<UploadJob, FinishOutcome>
{
    protected override async Task<FinishOutcome> ExecuteAsync(UploadJob input, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var steps = UploadOrchestrator.FinishingSteps;
        for (var done = 0; done < steps.Count; done++)
        {
            try
            {
                await Step(steps[done]).RunAsync(input, cancellationToken);
            }
            catch (PermanentFailureException refused)
            {
                warnings.Add(UploadOrchestrator.NotApplied(steps[done], refused.Message));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.StepHandedBack(input.JobId, steps[done], ActivityNames.Finish, e.GetType().Name);
                return new FinishOutcome(done, warnings, null, null);
            }
        }

        var check = await TryStepAsync(logger, input.JobId, ActivityNames.CheckProcessing, ActivityNames.Finish, () => processing.RunAsync(input, cancellationToken));
        var archived = check is { Finished: true, Failed: false }
            ? await TryStepAsync(logger, input.JobId, ActivityNames.Archive, ActivityNames.Finish, () => archive.RunAsync(new ArchiveRequest(input, null), cancellationToken))
            : null;
        return new FinishOutcome(steps.Count, warnings, check, archived);
    }

    private JobActivity<UploadJob, StepOutcome> Step(string name) => name switch
    {
        ActivityNames.SetMetadata => metadata,
        ActivityNames.SetCategories => categories,
        ActivityNames.SetStatus => status,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a finishing step"),
    };
}

/// <summary>
/// After a final failure: remove what the job made at the vendor. A file the vendor already had before the job
/// (dedupe) is never touched, and a job that opened nothing has nothing to undo.
/// </summary>
[DurableTask(ActivityNames.Compensate)]
public sealed class CompensateActivity(JobDocuments documents, VendorConnectors connectors) : JobActivity<CompensateRequest, StepOutcome>
{
    protected override async Task<StepOutcome> ExecuteAsync(CompensateRequest input, CancellationToken cancellationToken)
    {
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
