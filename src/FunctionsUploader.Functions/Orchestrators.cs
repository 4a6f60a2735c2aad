using FunctionsUploader.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace FunctionsUploader.Functions;

/// <summary>The orchestrations: each hands its Durable context to Core's orchestrator class, nothing more.</summary>
public static class Orchestrators
{
    [Function(OrchestrationNames.Upload)]
    public static Task<UploadResult> Upload([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new UploadOrchestrator().RunAsync(context, context.GetInput<UploadJob>()!);

    [Function(OrchestrationNames.Transfer)]
    public static Task<TransferProgress> Transfer([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new TransferOrchestrator().RunAsync(context, context.GetInput<TransferSlice>()!);

    [Function(OrchestrationNames.Callback)]
    public static Task<string?> Callback([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new CallbackOrchestrator().RunAsync(context, context.GetInput<CallbackDelivery>()!);
}
