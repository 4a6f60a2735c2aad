using FunctionsUploader.Workflow;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsUploader.Functions;

/// <summary>
/// One function per activity, each resolving the Core activity from DI through <see cref="ActivityCatalog"/>:
/// the function names, input and output types are the catalog's, so the hosts cannot drift apart.
/// </summary>
public static class ActivityFunctions
{
    [Function(ActivityNames.Prepare)]
    public static Task<PreparedUpload> Prepare([ActivityTrigger] UploadJob input, FunctionContext context) =>
        RunAsync<PreparedUpload>(ActivityNames.Prepare, input, context);

    [Function(ActivityNames.CopyBatch)]
    public static Task<BatchCopied> CopyBatch([ActivityTrigger] CopyBatchRequest input, FunctionContext context) =>
        RunAsync<BatchCopied>(ActivityNames.CopyBatch, input, context);

    [Function(ActivityNames.Commit)]
    public static Task<Committed> Commit([ActivityTrigger] UploadJob input, FunctionContext context) =>
        RunAsync<Committed>(ActivityNames.Commit, input, context);

    [Function(ActivityNames.SetMetadata)]
    public static Task<StepOutcome> SetMetadata([ActivityTrigger] UploadJob input, FunctionContext context) =>
        RunAsync<StepOutcome>(ActivityNames.SetMetadata, input, context);

    [Function(ActivityNames.SetCategories)]
    public static Task<StepOutcome> SetCategories([ActivityTrigger] UploadJob input, FunctionContext context) =>
        RunAsync<StepOutcome>(ActivityNames.SetCategories, input, context);

    [Function(ActivityNames.SetStatus)]
    public static Task<StepOutcome> SetStatus([ActivityTrigger] UploadJob input, FunctionContext context) =>
        RunAsync<StepOutcome>(ActivityNames.SetStatus, input, context);

    [Function(ActivityNames.CheckProcessing)]
    public static Task<ProcessingCheck> CheckProcessing([ActivityTrigger] UploadJob input, FunctionContext context) =>
        RunAsync<ProcessingCheck>(ActivityNames.CheckProcessing, input, context);

    [Function(ActivityNames.Compensate)]
    public static Task<StepOutcome> Compensate([ActivityTrigger] CompensateRequest input, FunctionContext context) =>
        RunAsync<StepOutcome>(ActivityNames.Compensate, input, context);

    [Function(ActivityNames.Archive)]
    public static Task<Archived> Archive([ActivityTrigger] ArchiveRequest input, FunctionContext context) =>
        RunAsync<Archived>(ActivityNames.Archive, input, context);

    private static async Task<TResult> RunAsync<TResult>(string name, object input, FunctionContext context) =>
        (TResult)(await ActivityCatalog.All[name].Registration.Invoke(context.InstanceServices, input, context.CancellationToken))!;
}
