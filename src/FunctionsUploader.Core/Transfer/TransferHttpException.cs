using System.Net.Http.Headers;

namespace FunctionsUploader.Transfer;

/// <summary>
/// A vendor or S3 endpoint answered a transfer request with an error: which operation on what (never with a
/// query string), the status, the start of the service's own message, and how long it asked us to wait.
/// </summary>
public sealed class TransferHttpException : Exception
{
    private const int MaxBodyLength = 300;

    public TransferHttpException()
        : this("A transfer request failed.")
    {
    }

    public TransferHttpException(string message)
        : base(message)
    {
    }

    public TransferHttpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal TransferHttpException(int status, TimeSpan? retryAfter, string message)
        : base(message)
    {
        Status = status;
        RetryAfter = retryAfter;
    }

    public int Status { get; }

    public TimeSpan? RetryAfter { get; }

    public bool IsTransient => Status is 408 or 429 or >= 500;

    /// <summary>Throws for a status outside 2xx, quoting at most the first 300 characters of the service's reply.</summary>
    internal static async Task ThrowIfFailedAsync(HttpResponseMessage response, string operation, string resource, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        if (body.Length > MaxBodyLength)
        {
            body = body[..MaxBodyLength] + "…";
        }

        var status = (int)response.StatusCode;
        var message = $"{operation} failed for {resource}: {status} {response.ReasonPhrase}." + (body.Length > 0 ? " " + body : "");
        throw new TransferHttpException(status, RetryAfterOf(response.Headers.RetryAfter), message);
    }

    private static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? retryAfter) => retryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
