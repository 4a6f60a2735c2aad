using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Vendors.MediaValet;

/// <summary>
/// MediaValet's API as the connector calls it: every call with the current Bearer token and the APIM subscription
/// key, quick retries and one token renewal on 401 (<see cref="VendorHttp"/>), answers read out of the envelope.
/// </summary>
internal sealed class MediaValetApi
{
    public const string Vendor = "MediaValet";

    private const string SubscriptionKeyHeader = "Ocp-Apim-Subscription-Key";
    private const string JsonPatchMediaType = "application/json-patch+json";

    private readonly MediaValetOptions _options;
    private readonly VendorHttp _http;
    private readonly AccessTokenCache _tokens;
    private readonly Uri _base;

    public MediaValetApi(MediaValetOptions options, HttpClient http, ILogger logger, TimeProvider time)
    {
        _options = options;
        _http = new VendorHttp(Vendor, http, options.Retry, time);
        _base = AsBase(options.ApiUrl!);
        _tokens = new AccessTokenCache(new MediaValetSignIn(options, _http, logger, time).FetchAsync, time);
    }

    /// <summary>A base URL that relative paths extend rather than replace ("…/mediavalet" + "uploads" = "…/mediavalet/uploads").</summary>
    public static Uri AsBase(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    /// <summary>Calls <paramref name="path"/> and returns the envelope's payload.</summary>
    public async Task<T> CallAsync<T>(string operation, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
        where T : class
    {
        var envelope = await _http.SendAsync<MediaValetEnvelope<T>>(operation, () => Build(method, path, body, null), MediaValetWire.Json, cancellationToken, _tokens, Authorize);
        return envelope.Payload ?? throw VendorJson.Unexpected(Vendor, operation, 200, "the answer's payload is empty");
    }

    /// <summary>Calls <paramref name="path"/> for its effect; the answer's body is not needed.</summary>
    public Task CallAsync(string operation, HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(operation, method, path, body, null, cancellationToken);

    /// <summary>The finalize: PATCH uploads/{id} with the JSON Patch status = 1, under JSON Patch's own media type.</summary>
    public Task PatchStatusAsync(string uploadId, CancellationToken cancellationToken) =>
        SendAsync("finalize upload", HttpMethod.Patch, $"uploads/{Uri.EscapeDataString(uploadId)}", MediaValetWire.FinalizePatch, JsonPatchMediaType, cancellationToken);

    private async Task SendAsync(string operation, HttpMethod method, string path, object? body, string? mediaType, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(operation, () => Build(method, path, body, mediaType), cancellationToken, _tokens, Authorize);
    }

    private HttpRequestMessage Build(HttpMethod method, string path, object? body, string? mediaType)
    {
        var request = new HttpRequestMessage(method, new Uri(_base, path));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), mediaType is null ? null : new MediaTypeHeaderValue(mediaType), MediaValetWire.Json);
        }

        return request;
    }

    private void Authorize(HttpRequestMessage request, AccessToken token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        request.Headers.Add(SubscriptionKeyHeader, _options.SubscriptionKey);
    }
}
