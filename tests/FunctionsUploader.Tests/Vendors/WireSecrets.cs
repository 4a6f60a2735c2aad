using System.Collections.Concurrent;
using System.Text.Json;
using System.Web;

namespace FunctionsUploader.Tests.Vendors;

/// <summary>
/// An HTTP handler that notes every secret crossing the wire: credential headers, the tokens and keys that logins
/// answer, and URL signatures. What a connector sent or received is what must never reach a log.
/// </summary>
internal sealed class WireSecrets() : DelegatingHandler(new SocketsHttpHandler())
{
    private static readonly string[] SecretHeaders = ["Authorization", "Ocp-Apim-Subscription-Key", "X-Access-Key", "X-Access-Token"];
    private static readonly string[] SecretFields = ["access_token", "refresh_token", "access_key"];
    private static readonly string[] SignatureParameters = ["sig", "X-Amz-Signature"];

    private readonly ConcurrentBag<string> _seen = [];

    public IReadOnlyCollection<string> Seen => _seen;

    /// <summary>The signature of a signed URL handed out of band (MediaValet's SAS goes through the blob pipeline, not this handler).</summary>
    public void NoteSignatures(Uri url)
    {
        var query = HttpUtility.ParseQueryString(url.Query);
        foreach (var name in SignatureParameters)
        {
            if (query[name] is { Length: > 0 } signature)
            {
                _seen.Add(signature);
                _seen.Add(Uri.EscapeDataString(signature));
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        NoteSignatures(request.RequestUri!);
        foreach (var header in SecretHeaders)
        {
            if (request.Headers.TryGetValues(header, out var values))
            {
                foreach (var value in values)
                {
                    _seen.Add(value.Split(' ')[^1]);
                }
            }
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            NoteFields(await response.Content.ReadAsStringAsync(cancellationToken));
        }

        return response;
    }

    private void NoteFields(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var field in SecretFields)
        {
            if (document.RootElement.TryGetProperty(field, out var value) && value.GetString() is { Length: > 0 } secret)
            {
                _seen.Add(secret);
            }
        }
    }
}
