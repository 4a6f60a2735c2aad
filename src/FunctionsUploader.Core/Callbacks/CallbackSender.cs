using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FunctionsUploader.Intake;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Callbacks;

/// <summary>
/// POSTs a job's result to its callback URL: the result's JSON, signed with HMAC-SHA256 under the configured
/// secret over "&lt;timestamp&gt;.&lt;body&gt;", the timestamp (Unix seconds) in <see cref="TimestampHeader"/> and
/// "sha256=&lt;hex&gt;" in <see cref="SignatureHeader"/>. One attempt; the orchestration retries.
/// </summary>
public sealed class CallbackSender(IHttpClientFactory http, IOptions<IntakeOptions> options, TimeProvider time)
{
    public const string HttpClientName = "callbacks";
    public const string SignatureHeader = "X-Uploader-Signature";
    public const string TimestampHeader = "X-Uploader-Timestamp";

    public async Task SendAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secret = options.Value.Callbacks.SigningSecret is { Length: > 0 } s
            ? s
            : throw new PermanentFailureException($"{UploaderServices.Section}:Callbacks:SigningSecret is not set; the callback cannot be signed.");
        var body = JsonSerializer.SerializeToUtf8Bytes(request.Result, WorkflowJson.Options);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Add(TimestampHeader, timestamp);
        message.Headers.Add(SignatureHeader, "sha256=" + Sign(secret, timestamp, body));

        var target = Describe(request.Url);
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(HttpClientName).SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CallbackFailedException($"The callback to {target} could not be delivered: {e.Message}");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new CallbackFailedException($"The callback to {target} was answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
        }
    }

    /// <summary>The signature a receiver computes to check a callback: hex HMAC-SHA256 of "timestamp.body".</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body.ToArray()).ToArray();
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    private static string Describe(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : "the callback URL";
}

/// <summary>A callback the receiver did not take; the orchestration's retry policy tries again.</summary>
public sealed class CallbackFailedException : Exception
{
    public CallbackFailedException()
    {
    }

    public CallbackFailedException(string message)
        : base(message)
    {
    }

    public CallbackFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
