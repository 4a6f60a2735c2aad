using Microsoft.Extensions.Logging;

namespace FunctionsUploader;

/// <summary>Every log message of FunctionsUploader.Core. Arguments are names and numbers: never a URL query string, a token or a key.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Sent {Part} to {Target}")]
    public static partial void PartSent(this ILogger logger, string part, string target);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Skipped {Part}: {Target} already holds it")]
    public static partial void PartSkipped(this ILogger logger, string part, string target);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Retrying {Part} to {Target} in {Delay} after attempt {Attempt} failed: {Reason}")]
    public static partial void PartRetrying(this ILogger logger, string part, string target, TimeSpan delay, int attempt, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "{Target} cannot read the source itself ({Reason}); streaming the parts through this process instead")]
    public static partial void ServerSideCopyUnavailable(this ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "{Target} cannot list the parts it holds ({Reason}); every part will be sent")]
    public static partial void HeldPartsUnavailable(this ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Committed {PartCount} parts, {Length} bytes, to {Target}")]
    public static partial void Committed(this ILogger logger, int partCount, long length, string target);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "{Target} cannot report the committed size ({Reason}); the size check after commit was skipped")]
    public static partial void CommittedSizeUnavailable(this ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Activity {Activity} failed on attempt {Attempt} ({ErrorType}); retrying")]
    public static partial void ActivityRetry(ILogger logger, string activity, int attempt, string errorType);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Job {JobId} resumed with {Completed} completed calls in its journal")]
    public static partial void JobResumed(ILogger logger, string jobId, int completed);
}
