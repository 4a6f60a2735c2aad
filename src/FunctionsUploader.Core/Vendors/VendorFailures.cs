using Amazon.Runtime;
using FunctionsUploader.Storage;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Vendors;

/// <summary>
/// Gives a connector's calls through the transfer targets (an Azure Put Block List, an S3 commit, a finish request)
/// the same typed failure as its API calls: a <see cref="VendorApiException"/> that says whether retrying can help.
/// </summary>
internal static class VendorFailures
{
    public static async Task<T> TranslateAsync<T>(string vendor, string operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not VendorApiException && Translate(vendor, operation, e, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    public static Task TranslateAsync(string vendor, string operation, Func<Task> call, CancellationToken cancellationToken) =>
        TranslateAsync<bool>(vendor, operation, async () =>
        {
            await call();
            return true;
        }, cancellationToken);

    /// <summary>Null for what is not a vendor's answer (integrity checks, refusals by the planner, the caller's cancellation).</summary>
    private static VendorApiException? Translate(string vendor, string operation, Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        TransferIntegrityException or TransferRefusedException => null,
        TransferHttpException http => new(vendor, operation, http.Status, http.IsTransient, http.Message, http.RetryAfter, http),
        BlobStorageException blob => new(vendor, operation, blob.Status, blob.IsTransient || blob.Status == 0, blob.Message, blob.RetryAfter, blob),
        AmazonServiceException s3 when s3.StatusCode != 0 => new(vendor, operation, (int)s3.StatusCode, TransferEngine.IsTransient(s3), $"{s3.ErrorCode}: {s3.Message}", innerException: s3),
        PartTransferException part => new(vendor, operation, StatusOf(part.InnerException), part.IsTransient, part.Message, innerException: part),
        _ when TransferEngine.IsTransient(e) => new(vendor, operation, 0, retryable: true, e.Message, innerException: e),
        _ => null,
    };

    private static int StatusOf(Exception? cause) => cause switch
    {
        TransferHttpException http => http.Status,
        AmazonServiceException s3 => (int)s3.StatusCode,
        _ => 0,
    };
}
