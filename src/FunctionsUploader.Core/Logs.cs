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

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "{Target} took a chunk ending at {Sent} and answered end_offset {Answered}; the count of bytes sent stands")]
    public static partial void PhasedChunkOffsetsDiffer(this ILogger logger, string target, long sent, long answered);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "{Target} answered ETag {ETag} for part {PartNumber}, not the MD5 {Md5} of the bytes sent; the ETag goes to the commit as answered")]
    public static partial void PartETagNotMd5(this ILogger logger, string target, int partNumber, string eTag, string md5);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Activity {Activity} failed on attempt {Attempt} ({ErrorType}); retrying")]
    public static partial void ActivityRetry(ILogger logger, string activity, int attempt, string errorType);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Job {JobId} resumed with {Completed} completed calls in its journal")]
    public static partial void JobResumed(ILogger logger, string jobId, int completed);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Job {JobId}: {Step} failed within the {Activity} activity ({ErrorType}); the orchestration runs it as its own activity, with its retries")]
    public static partial void StepHandedBack(this ILogger logger, string jobId, string step, string activity, string errorType);

    // 3000-3099: the MediaValet connector (3000-3001, its own token events, retired: the OAuth2 client logs 3350-3351);
    // 3100-3199: Picovico.

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

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Part URLs of Picovico upload {UploadId} were refused (expired); asked directupload again for MD5 {Md5}")]
    public static partial void PicovicoPartUrlsRenewed(this ILogger logger, string uploadId, string md5);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Debug, Message = "Picovico videoclip {ClipId} is {Status}")]
    public static partial void PicovicoClipStatus(this ILogger logger, string clipId, string status);

    // 3200-3299: what any connector logs (Prepr, Panopto); 3300-3349: Panopto; 3350-3399: the OAuth2 token client (MediaValet, Panopto).

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Opened {Vendor} upload {AssetId} for job {JobId}: {Size} bytes to {Target}")]
    public static partial void VendorUploadOpened(this ILogger logger, string vendor, string assetId, string jobId, long size, string target);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Committed {Vendor} upload {AssetId}: {Length} bytes; the vendor now processes it")]
    public static partial void VendorUploadCommitted(this ILogger logger, string vendor, string assetId, long length);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Set the {Step} of {Vendor} upload {AssetId}")]
    public static partial void VendorStepApplied(this ILogger logger, string vendor, string step, string assetId);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Debug, Message = "{Vendor} upload {AssetId} is {State}")]
    public static partial void VendorProcessingState(this ILogger logger, string vendor, string assetId, string state);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Information, Message = "Cancelled {Vendor} upload {AssetId}: {Outcome}")]
    public static partial void VendorUploadCancelled(this ILogger logger, string vendor, string assetId, string outcome);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Uploaded the manifest {Key} ({Length} bytes) of Panopto session upload {AssetId}")]
    public static partial void PanoptoManifestUploaded(this ILogger logger, string key, long length, string assetId);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "{Target} cannot abort the multipart upload ({Reason}); deleting the session upload removes its files")]
    public static partial void PanoptoAbortUnavailable(this ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Information, Message = "Panopto session upload {AssetId} is already {State}: an earlier commit finished it")]
    public static partial void PanoptoAlreadyCommitted(this ILogger logger, string assetId, string state);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Information, Message = "The multipart upload of {Target} was completed by an earlier attempt; it holds the {Length} bytes")]
    public static partial void PanoptoMediaAlreadyCompleted(this ILogger logger, string target, long length);

    [LoggerMessage(EventId = 3350, Level = LogLevel.Debug, Message = "Fetched a {Vendor} access token by the {Grant} grant, valid until {ExpiresOn} (with refresh token: {HasRefreshToken})")]
    public static partial void AccessTokenFetched(this ILogger logger, string vendor, string grant, DateTimeOffset expiresOn, bool hasRefreshToken);

    [LoggerMessage(EventId = 3352, Level = LogLevel.Warning, Message = "{Vendor} refused the scope '{Scope}' (invalid_scope); asking for '{Narrower}' without offline_access, so tokens are renewed by password")]
    public static partial void ScopeNarrowed(this ILogger logger, string vendor, string scope, string narrower);

    [LoggerMessage(EventId = 3351, Level = LogLevel.Information, Message = "{Vendor} refused the refresh token ({Status}: {Reason}); logging in again with the password grant")]
    public static partial void RefreshTokenRefused(this ILogger logger, string vendor, int status, string reason);
}
