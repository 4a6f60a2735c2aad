using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace FunctionsUploader.Storage;

/// <summary>
/// A failed Azure Blob request: which operation on which blob (never with its query string), the HTTP status,
/// the service's error code and request id, and what a person can do about it.
/// </summary>
public sealed partial class BlobStorageException : Exception
{
    private const int MaxServiceMessageLength = 300;

    public BlobStorageException()
        : this("Azure Blob request failed.")
    {
    }

    public BlobStorageException(string message)
        : base(message)
    {
        Operation = string.Empty;
        Resource = string.Empty;
    }

    public BlobStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = string.Empty;
        Resource = string.Empty;
    }

    private BlobStorageException(string operation, string resource, int status, string? errorCode, string? requestId, string message, Exception? inner = null, TimeSpan? retryAfter = null)
        : base(message, inner)
    {
        Operation = operation;
        Resource = resource;
        Status = status;
        ErrorCode = errorCode;
        RequestId = requestId;
        RetryAfter = retryAfter;
    }

    public string Operation { get; }

    /// <summary>The container and blob (or container) the request was for.</summary>
    public string Resource { get; }

    public int Status { get; }

    public string? ErrorCode { get; }

    public string? RequestId { get; }

    /// <summary>How long the service asked us to wait (Retry-After on 429 and 503), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True for failures worth trying again later (throttling, server errors, timeouts).</summary>
    public bool IsTransient => Status is 408 or 429 or >= 500;

    /// <summary>The SDK's failure with what it lacks: the operation, the blob it was for, and what to do about it.</summary>
    public static BlobStorageException From(string operation, string resource, RequestFailedException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.GetRawResponse() is { } response && failure.Status != 0
            ? FromResponse(operation, resource, response)
            : FromTransportFailure(operation, resource, failure.InnerException ?? failure);
    }

    internal static BlobStorageException FromResponse(string operation, string resource, Response response)
    {
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        response.Headers.TryGetValue("x-ms-request-id", out var requestId);
        string? serviceMessage = null;
        string? authDetail = null;
        if (response.ContentStream is { } body)
        {
            try
            {
                if (body.CanSeek)
                {
                    body.Position = 0;
                }

                var error = XDocument.Load(body).Root;
                code ??= error?.Element("Code")?.Value;
                serviceMessage = error?.Element("Message")?.Value;
                authDetail = error?.Element("AuthenticationErrorDetail")?.Value;
            }
            catch (System.Xml.XmlException)
            {
                // Not an XML error body (HEAD requests have none): the status and header code still say enough.
            }
        }

        var status = response.Status;
        var text = $"{operation} failed for {resource}: {status} {code ?? ((HttpStatusCode)status).ToString()}.";
        if (FirstLine(serviceMessage) is { } first)
        {
            text += " " + Truncate(first);
        }

        if (FirstLine(authDetail) is { } detail)
        {
            // Signature mismatches quote the string-to-sign and signature: keep the reason, drop the quotes.
            text += " " + Truncate(QuotedText().Replace(detail, "'…'"));
        }

        if (Hint(code, status) is { } hint)
        {
            text += " " + hint;
        }

        if (!string.IsNullOrEmpty(requestId))
        {
            text += $" (request id {requestId})";
        }

        TimeSpan? retryAfter = response.Headers.TryGetValue("Retry-After", out var wait) && int.TryParse(wait, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
        return new BlobStorageException(operation, resource, status, code, requestId, text, retryAfter: retryAfter);
    }

    internal static BlobStorageException FromTransportFailure(string operation, string resource, Exception inner) =>
        new(operation, resource, 0, "TransportFailure", null, $"{operation} failed for {resource}: {inner.Message}", inner);

    private static string? Hint(string? code, int status) => code switch
    {
        "BlobNotFound" => "The blob does not exist (moved, deleted, or the name is misspelled).",
        "ContainerNotFound" => "The container does not exist.",
        // Azure says AuthenticationFailed for a bad key or an expired SAS; Azurite says AuthorizationFailure.
        "AuthenticationFailed" or "AuthorizationFailure" => "Check the account key or the SAS: expired, for another resource, or without the permission for this operation.",
        "AuthorizationPermissionMismatch" => "The SAS or identity lacks the permission for this operation (a read-only SAS used to write?).",
        "ConditionNotMet" or "SourceConditionNotMet" => "The blob changed since it was read (ETag condition failed).",
        "BlobAlreadyExists" => "A blob already exists at the destination.",
        "Md5Mismatch" => "The bytes sent do not match their MD5: they were corrupted on the way.",
        "InvalidRange" => "The requested range starts past the end of the blob.",
        "InvalidBlockList" => "The block list names a block the service does not hold.",
        _ when status is 429 or 503 => "The service is throttling: retry later.",
        _ => null,
    };

    private static string? FirstLine(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split('\n', 2)[0].Trim();

    private static string Truncate(string text) =>
        text.Length <= MaxServiceMessageLength ? text : text[..MaxServiceMessageLength] + "…";

    [GeneratedRegex("'[^']*'")]
    private static partial Regex QuotedText();
}
