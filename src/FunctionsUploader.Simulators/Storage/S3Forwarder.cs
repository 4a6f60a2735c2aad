namespace FunctionsUploader.Simulators.Storage;

/// <summary>
/// Passes a client's S3 request on to the S3 server behind the simulators (s3rver), body streamed both ways, so a
/// vendor's S3 front (Panopto's upload target, Picovico's part URLs) can check what the vendor checks before and
/// after. s3rver checks no signatures, so a request signed for the simulator's host is taken as it is.
/// </summary>
internal sealed class S3Forwarder(S3Storage storage) : IDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Expect", "Keep-Alive" };

    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The request, with <paramref name="body"/> instead of the client's when given, sent to {bucket}/{key}{query}.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpContext context, string key, byte[]? body = null)
    {
        var request = context.Request;
        var path = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(storage.Endpoint, $"{storage.Bucket}/{path}{request.QueryString}"));
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
        }
        else if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopHeaders.Contains(name) || (body is not null && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, [.. values]) && message.Content is not null)
            {
                message.Content.Headers.TryAddWithoutValidation(name, [.. values]);
            }
        }

        return await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
    }

    /// <summary>Writes the S3 server's answer to the client, with <paramref name="etag"/> in place of its ETag when given.</summary>
    public static async Task<IResult> AnswerAsync(HttpContext context, HttpResponseMessage answer, string? etag = null)
    {
        using (answer)
        {
            var response = context.Response;
            response.StatusCode = (int)answer.StatusCode;
            foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
            {
                if (!HopHeaders.Contains(name))
                {
                    response.Headers[name] = values.ToArray();
                }
            }

            if (etag is not null)
            {
                response.Headers.ETag = etag;
            }

            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await answer.Content.CopyToAsync(response.Body, context.RequestAborted);
            }

            return Results.Empty;
        }
    }

    /// <summary>An S3 error answer: &lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;.</summary>
    public static IResult Error(int status, string code, string message) =>
        Results.Content(
            new System.Xml.Linq.XElement("Error", new System.Xml.Linq.XElement("Code", code), new System.Xml.Linq.XElement("Message", message)).ToString(),
            "application/xml",
            statusCode: status);

    public void Dispose() => _http.Dispose();
}
