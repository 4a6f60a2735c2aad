using FunctionsUploader.Intake;
using FunctionsUploader.Workflow;
using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FunctionsUploader.Functions;

/// <summary>
/// Core's <see cref="IOrchestrationStarter"/> over Durable's client. An instance that exists in any state counts
/// as started: Durable would otherwise replace a finished instance with a new run (and upload the file again).
/// </summary>
public sealed class DurableStarter(DurableTaskClient client) : IOrchestrationStarter
{
    public async Task<StartOutcome> StartIfNewAsync(UploadJob job, CancellationToken cancellationToken = default)
    {
        if (await client.GetInstanceAsync(job.JobId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return StartOutcome.AlreadyExists;
        }

        try
        {
            // Deduplicate on every status: two deliveries racing past the check above must not both start it.
            var options = new StartOrchestrationOptions(InstanceId: job.JobId).WithDedupeStatuses([.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses]);
            await client.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.Upload, job, options, cancellationToken);
            return StartOutcome.Started;
        }
        catch (Exception e) when (IsAlreadyExists(e))
        {
            // Another delivery of the same event won the race: still one job.
            return StartOutcome.AlreadyExists;
        }
    }

    // Newer clients throw DurableTask.Core's OrchestrationAlreadyExistsException; older ones let the gRPC status through.
    private static bool IsAlreadyExists(Exception e) =>
        e is RpcException { StatusCode: StatusCode.AlreadyExists } ||
        e.GetType().FullName == "DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException";
}
