using FunctionsUploader.Intake;
using FunctionsUploader.Storage;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Activities;

/// <summary>
/// Which activity failures retrying cannot fix: refusals by the vendor or the service, bad input, no legal part
/// plan, a part the target refused for good (an expired upload URL, a rejected chunk: rerunning the batch would
/// send up to a gigabyte again for the same answer). They become <see cref="PermanentFailureException"/>, which no
/// retry policy retries; the rest stay retryable. One place, so every host (Durable, in-process) retries the same.
/// </summary>
public static class PermanentFailures
{
    public static Exception Classify(Exception failure) => failure switch
    {
        PermanentFailureException => failure,
        VendorApiException { Retryable: false } e => new PermanentFailureException(e.Message, e),
        TransferRefusedException e => new PermanentFailureException(e.Message, e),
        PartTransferException { IsTransient: false } e => new PermanentFailureException(e.Message, e),
        IntakeException e => new PermanentFailureException(e.Message, e),
        BlobStorageException { Status: 400 or 401 or 403 or 404 or 409 or 412 or 416 } e => new PermanentFailureException(e.Message, e),
        _ => failure,
    };
}
