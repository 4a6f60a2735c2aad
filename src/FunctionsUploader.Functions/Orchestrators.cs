using FunctionsUploader.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace FunctionsUploader.Functions;

/// <summary>The orchestrations: each hands its Durable context to the Core workflow, nothing more.</summary>
public static class Orchestrators
{
    [Function(OrchestrationNames.Upload)]
    public static Task<UploadResult> Upload([OrchestrationTrigger] TaskOrchestrationContext context) =>
        UploadWorkflow.RunAsync(new DurableWorkflowContext(context), context.GetInput<UploadJob>()!);

    [Function(OrchestrationNames.Transfer)]
    public static Task<TransferProgress> Transfer([OrchestrationTrigger] TaskOrchestrationContext context) =>
        TransferWorkflow.RunAsync(new DurableWorkflowContext(context), context.GetInput<TransferSlice>()!);
}
