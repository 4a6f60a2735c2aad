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

    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "Got a MediaValet access token by the {Grant} grant, valid until {ExpiresOn}")]
    public static partial void MediaValetTokenIssued(this ILogger logger, string grant, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "MediaValet refused the refresh token ({Reason}); signing in with the password again")]
    public static partial void MediaValetRefreshRefused(this ILogger logger, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Opened MediaValet upload {UploadId} for {FileName} (job {JobId})")]
    public static partial void MediaValetUploadOpened(this ILogger logger, string uploadId, string fileName, string jobId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Checked out MediaValet asset {AssetId} to check in {FileName} as a new version (job {JobId})")]
    public static partial void MediaValetCheckedOut(this ILogger logger, string assetId, string fileName, string jobId);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Told MediaValet that {Flow} {Id} holds its {Length} bytes")]
    public static partial void MediaValetCommitted(this ILogger logger, string flow, string id, long length);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Set {Step} of MediaValet upload {UploadId}")]
    public static partial void MediaValetStepApplied(this ILogger logger, string step, string uploadId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Cancelled MediaValet upload {UploadId}: {Outcome}")]
    public static partial void MediaValetCancelled(this ILogger logger, string uploadId, string outcome);

    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Logged in to Picovico for app {AppId}")]
    public static partial void PicovicoLoggedIn(this ILogger logger, string appId);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Picovico already has videoclip {ClipId} with MD5 {Md5}: no bytes will be sent (job {JobId})")]
    public static partial void PicovicoClipKnown(this ILogger logger, string clipId, string md5, string jobId);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Opened Picovico direct upload {UploadId} for {FileName}: {PartCount} part URLs (job {JobId})")]
    public static partial void PicovicoUploadOpened(this ILogger logger, string uploadId, string fileName, int partCount, string jobId);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Finalized the Picovico direct upload of MD5 {Md5} as videoclip {ClipId} ({Status})")]
    public static partial void PicovicoUploadFinalized(this ILogger logger, string md5, string clipId, string status);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Debug, Message = "Picovico videoclip {ClipId} is {Status}")]
    public static partial void PicovicoClipStatus(this ILogger logger, string clipId, string status);
}
