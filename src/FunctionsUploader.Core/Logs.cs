using Microsoft.Extensions.Logging;

namespace FunctionsUploader;

/// <summary>Every log line Core writes: structured, and never a secret, a token or a URL query string.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Activity {Activity} failed on attempt {Attempt} ({ErrorType}); retrying")]
    public static partial void ActivityRetry(ILogger logger, string activity, int attempt, string errorType);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Job {JobId} resumed with {Completed} completed calls in its journal")]
    public static partial void JobResumed(ILogger logger, string jobId, int completed);
}
