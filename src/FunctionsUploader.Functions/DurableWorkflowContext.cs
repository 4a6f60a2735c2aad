using FunctionsUploader.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using DurableRetryPolicy = Microsoft.DurableTask.RetryPolicy;
using WorkflowRetryPolicy = FunctionsUploader.Workflow.RetryPolicy;

namespace FunctionsUploader.Functions;

/// <summary>The Core workflow's context over Durable Task's: a member-for-member adapter, no logic of its own.</summary>
internal sealed class DurableWorkflowContext(TaskOrchestrationContext context) : IWorkflowContext
{
    public string InstanceId => context.InstanceId;

    public DateTime CurrentUtcDateTime => context.CurrentUtcDateTime;

    public bool IsReplaying => context.IsReplaying;

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input, WorkflowRetryPolicy? retry = null)
    {
        try
        {
            return await context.CallActivityAsync<TResult>(name, input, retry is null ? null : TaskOptions.FromRetryPolicy(ToDurable(retry)));
        }
        catch (TaskFailedException e)
        {
            throw new ActivityFailedException(name, e.FailureDetails.ErrorType, e.FailureDetails.ErrorMessage);
        }
    }

    public async Task<TResult> CallSubOrchestratorAsync<TResult>(string name, string instanceId, object? input)
    {
        try
        {
            return await context.CallSubOrchestratorAsync<TResult>(name, input, new SubOrchestrationOptions(instanceId: instanceId));
        }
        catch (TaskFailedException e)
        {
            // The worker reports a failed child as TaskFailedException too (TaskOrchestrationContextWrapper).
            throw new ActivityFailedException(name, e.FailureDetails.ErrorType, e.FailureDetails.ErrorMessage);
        }
    }

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => context.CreateTimer(fireAt, cancellationToken);

    public void SetCustomStatus(object? status) => context.SetCustomStatus(status);

    public ILogger CreateReplaySafeLogger(string categoryName) => context.CreateReplaySafeLogger(categoryName);

    /// <summary>
    /// Durable's retry policy with Core's numbers; failures an activity marked permanent are not retried. The error
    /// type is compared by name, as Core does, rather than loaded by name (IsCausedBy), which may not find the type.
    /// </summary>
    private static DurableRetryPolicy ToDurable(WorkflowRetryPolicy retry) =>
        new(retry.MaxAttempts, retry.FirstInterval, retry.BackoffCoefficient, retry.MaxInterval)
        {
            HandleTaskFailureDetails = failure => failure.ErrorType != typeof(PermanentFailureException).FullName,
        };
}
