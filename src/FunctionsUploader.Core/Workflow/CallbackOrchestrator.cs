using Microsoft.DurableTask;

namespace FunctionsUploader.Workflow;

/// <summary>
/// Delivers the completion callback of a job that ended outside its own orchestration (a cancel: the orchestration
/// was terminated), with the same retries the upload orchestration gives its own callback.
/// </summary>
[DurableTask(OrchestrationNames.Callback)]
public sealed class CallbackOrchestrator : TaskOrchestrator<CallbackDelivery, string?>
{
    /// <summary>The id of the instance that delivers a job's cancel callback.</summary>
    public static string InstanceId(string jobId) => $"{jobId}:callback";

    /// <returns>Null once delivered; otherwise the warning that says why it was not.</returns>
    public override Task<string?> RunAsync(TaskOrchestrationContext context, CallbackDelivery input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return NotifyAsync(context, input.Request, input.Retry);
    }

    /// <summary>Calls the Notify activity under <paramref name="retry"/>; a callback that fails for good becomes a warning, never a failure.</summary>
    internal static async Task<string?> NotifyAsync(TaskOrchestrationContext context, CallbackRequest request, RetrySettings retry)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.CallActivityAsync<StepOutcome>(ActivityNames.Notify, request, retry.ToTaskOptions());
            return null;
        }
        catch (TaskFailedException failed)
        {
            return $"The completion callback was not delivered: {failed.FailureDetails.ErrorMessage}";
        }
    }
}

/// <summary>The callback orchestration's input: what to send, under which retry settings.</summary>
public sealed record CallbackDelivery(CallbackRequest Request, RetrySettings Retry);
