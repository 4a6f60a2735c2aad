using FunctionsUploader.Activities;
using FunctionsUploader.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsUploader.Functions;

/// <summary>One function per activity, each running Core's activity class from DI with the host's cancellation.</summary>
public sealed class ActivityFunctions(IServiceProvider services)
{
    [Function(ActivityNames.Prepare)]
    public Task<PreparedUpload> Prepare([ActivityTrigger] UploadJob input, CancellationToken cancellationToken) =>
        services.GetRequiredService<PrepareActivity>().RunAsync(input, cancellationToken);

    [Function(ActivityNames.Deliver)]
    public Task<PreparedUpload> Deliver([ActivityTrigger] UploadJob input, CancellationToken cancellationToken) =>
        services.GetRequiredService<DeliverActivity>().RunAsync(input, cancellationToken);

    [Function(ActivityNames.CopyBatch)]
    public Task<BatchCopied> CopyBatch([ActivityTrigger] CopyBatchRequest input, CancellationToken cancellationToken) =>
        services.GetRequiredService<CopyBatchActivity>().RunAsync(input, cancellationToken);

    [Function(ActivityNames.Commit)]
    public Task<Committed> Commit([ActivityTrigger] UploadJob input, CancellationToken cancellationToken) =>
        services.GetRequiredService<CommitActivity>().RunAsync(input, cancellationToken);

    [Function(ActivityNames.SetMetadata)]
    public Task<StepOutcome> SetMetadata([ActivityTrigger] UploadJob input, CancellationToken cancellationToken) =>
        services.GetRequiredService<SetMetadataActivity>().RunAsync(input, cancellationToken);

    [Function(ActivityNames.SetCategories)]
    public Task<StepOutcome> SetCategories([ActivityTrigger] UploadJob input, CancellationToken cancellationToken) =>
        services.GetRequiredService<SetCategoriesActivity>().RunAsync(input, cancellationToken);

    [Function(ActivityNames.SetStatus)]
    public Task<StepOutcome> SetStatus([ActivityTrigger] UploadJob input, CancellationToken cancellationToken) =>
        services.GetRequiredService<SetStatusActivity>().RunAsync(input, cancellationToken);

    [Function(ActivityNames.CheckProcessing)]
    public Task<ProcessingCheck> CheckProcessing([ActivityTrigger] UploadJob input, CancellationToken cancellationToken) =>
        services.GetRequiredService<CheckProcessingActivity>().RunAsync(input, cancellationToken);

    [Function(ActivityNames.Finish)]
    public Task<FinishOutcome> Finish([ActivityTrigger] UploadJob input, CancellationToken cancellationToken) =>
        services.GetRequiredService<FinishActivity>().RunAsync(input, cancellationToken);

    [Function(ActivityNames.Compensate)]
    public Task<StepOutcome> Compensate([ActivityTrigger] CompensateRequest input, CancellationToken cancellationToken) =>
        services.GetRequiredService<CompensateActivity>().RunAsync(input, cancellationToken);

    [Function(ActivityNames.Archive)]
    public Task<Archived> Archive([ActivityTrigger] ArchiveRequest input, CancellationToken cancellationToken) =>
        services.GetRequiredService<ArchiveActivity>().RunAsync(input, cancellationToken);

    [Function(ActivityNames.Notify)]
    public Task<StepOutcome> Notify([ActivityTrigger] CallbackRequest input, CancellationToken cancellationToken) =>
        services.GetRequiredService<NotifyActivity>().RunAsync(input, cancellationToken);
}
