using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Functions;

internal static partial class Logs
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Staging blob {Blob}: job {JobId} for {Vendor} {Outcome} {Reason}")]
    public static partial void BlobStart(ILogger logger, string blob, string jobId, string vendor, string outcome, string reason);
}
