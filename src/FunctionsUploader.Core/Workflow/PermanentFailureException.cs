using Microsoft.DurableTask;

namespace FunctionsUploader.Workflow;

/// <summary>
/// Thrown by an activity for a failure that retrying cannot fix: bad input, a refusal by the vendor, a file too
/// large for the vendor. Retry policies do not retry it. Its message is what the user reads: keep it specific
/// and free of secrets.
/// </summary>
public sealed class PermanentFailureException : Exception
{
    public PermanentFailureException()
    {
    }

    public PermanentFailureException(string message)
        : base(message)
    {
    }

    public PermanentFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>How the orchestrations read Durable's failure details.</summary>
public static class TaskFailures
{
    private static readonly string PermanentType = typeof(PermanentFailureException).FullName!;

    /// <summary>
    /// Whether the failure, or one it wraps, is a <see cref="PermanentFailureException"/>. Compared by type name:
    /// <see cref="TaskFailureDetails.IsCausedBy{T}"/> loads the type by name, which need not find a type of ours.
    /// </summary>
    public static bool IsPermanent(TaskFailureDetails? failure)
    {
        for (; failure is not null; failure = failure.InnerFailure)
        {
            if (failure.ErrorType == PermanentType)
            {
                return true;
            }
        }

        return false;
    }
}
