using System.Net;

namespace FunctionsUploader.Vendors;

/// <summary>
/// A vendor API call that failed: which vendor and operation, the HTTP status, whether retrying can help, and
/// the vendor's own message, truncated (Durable Functions misbehaves with huge exception messages) and never
/// with credentials, tokens or signed URLs.
/// </summary>
public sealed class VendorApiException : Exception
{
    public const int MaxVendorMessageLength = 300;

    public VendorApiException()
        : this("Vendor API call failed.")
    {
    }

    public VendorApiException(string message)
        : base(message)
    {
        Vendor = string.Empty;
        Operation = string.Empty;
    }

    public VendorApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Vendor = string.Empty;
        Operation = string.Empty;
    }

    public VendorApiException(string vendor, string operation, int status, bool retryable, string? vendorMessage, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(Describe(vendor, operation, status, retryable, vendorMessage), innerException)
    {
        Vendor = vendor;
        Operation = operation;
        Status = status;
        Retryable = retryable;
        VendorMessage = Truncate(vendorMessage);
        RetryAfter = retryAfter;
    }

    public string Vendor { get; }

    public string Operation { get; }

    /// <summary>The HTTP status, or 0 when no answer came (connection failure, timeout).</summary>
    public int Status { get; }

    public bool Retryable { get; }

    public string? VendorMessage { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>429, 408 and 5xx are worth retrying; other 4xx are refusals that retrying cannot change.</summary>
    public static bool IsRetryableStatus(int status) => status is 408 or 429 or >= 500;

    public static string? Truncate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= MaxVendorMessageLength ? flat : flat[..MaxVendorMessageLength] + "…";
    }

    private static string Describe(string vendor, string operation, int status, bool retryable, string? vendorMessage)
    {
        var what = status == 0 ? "got no answer" : $"answered {status} {(HttpStatusCode)status}";
        var text = $"{vendor} {operation} {what}";
        if (Truncate(vendorMessage) is { } message)
        {
            text += $": {message}";
        }

        return text + (retryable ? " (temporary; will retry)" : status is 401 or 403 ? " (check the credentials configured for this vendor)" : string.Empty);
    }
}
