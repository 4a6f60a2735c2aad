using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Workflow;

/// <summary>
/// The part of Durable Task's TaskOrchestrationContext that the upload workflow uses. The workflow is written
/// only against this, so it runs unchanged under Durable Functions, the in-process runner and the replay checker.
/// Rules for code using it: no I/O, no clocks but <see cref="CurrentUtcDateTime"/>, no random ids, no waiting on
/// anything but tasks this context returns.
/// </summary>
public interface IWorkflowContext
{
    string InstanceId { get; }

    /// <summary>The orchestration's deterministic clock (the time of the event being replayed).</summary>
    DateTime CurrentUtcDateTime { get; }

    bool IsReplaying { get; }

    /// <summary>
    /// Calls an activity by name. Failures arrive as <see cref="ActivityFailedException"/> once the retry policy
    /// (if any) gives up; failures the activity marked permanent are never retried.
    /// </summary>
    Task<TResult> CallActivityAsync<TResult>(string name, object? input, RetrySettings? retry = null);

    /// <summary>Runs another workflow as a child with its own (shorter) history.</summary>
    Task<TResult> CallSubOrchestratorAsync<TResult>(string name, string instanceId, object? input);

    Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    /// <summary>Replaces the orchestration's custom status (kept small: see <see cref="UploadStatus"/>).</summary>
    void SetCustomStatus(object? status);

    ILogger CreateReplaySafeLogger(string categoryName);
}

/// <summary>
/// An activity or sub-orchestration that failed for good. <see cref="ErrorType"/> is the activity's exception
/// type name, so the workflow can tell a permanent refusal from a failure that outlived its retries.
/// </summary>
public sealed class ActivityFailedException : Exception
{
    public ActivityFailedException()
        : this(string.Empty, string.Empty, "Activity failed.")
    {
    }

    public ActivityFailedException(string message)
        : this(string.Empty, string.Empty, message)
    {
    }

    public ActivityFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        ActivityName = string.Empty;
        ErrorType = innerException?.GetType().FullName ?? string.Empty;
    }

    public ActivityFailedException(string activityName, string errorType, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ActivityName = activityName;
        ErrorType = errorType;
    }

    public string ActivityName { get; }

    public string ErrorType { get; }

    public bool IsPermanent => ErrorType == typeof(PermanentFailureException).FullName;
}
