using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FunctionsUploader.Vendors;

/// <summary>
/// One vendor API below a base URL, the one way connectors call it: each attempt builds its request anew (path
/// relative to the base, fresh content, the vendor's headers and current token), <see cref="VendorHttp"/> retries
/// and renews the token, and JSON answers are read into the connector's wire types (or a <see cref="JsonElement"/>).
/// </summary>
public sealed class VendorApiClient
{
    private readonly VendorHttp _http;
    private readonly Uri _base;
    private readonly JsonSerializerOptions _json;
    private readonly Action<HttpRequestMessage>? _headers;
    private readonly AccessTokenCache? _tokens;
    private readonly Action<HttpRequestMessage, AccessToken> _authorize;
    private readonly int[]? _unauthorizedStatuses;

    /// <param name="json">How the connector's wire types are written and read.</param>
    /// <param name="headers">What every request carries whatever the token: an API key, an app id, a static token that is never renewed.</param>
    /// <param name="tokens">The vendor's renewable token, fetched anew when an answer says it is no longer good; null when there is none.</param>
    /// <param name="authorize">Puts the token on a request: a Bearer header when null.</param>
    /// <param name="unauthorizedStatuses">The answers that mean the token is no longer good: 401 when null.</param>
    public VendorApiClient(
        VendorHttp http,
        Uri baseUrl,
        JsonSerializerOptions json,
        Action<HttpRequestMessage>? headers = null,
        AccessTokenCache? tokens = null,
        Action<HttpRequestMessage, AccessToken>? authorize = null,
        int[]? unauthorizedStatuses = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(json);
        _http = http;
        _base = AsBase(baseUrl);
        _json = json;
        _headers = headers;
        _tokens = tokens;
        _authorize = authorize ?? ((request, token) => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value));
        _unauthorizedStatuses = unauthorizedStatuses;
    }

    public string Vendor => _http.Vendor;

    /// <summary>The base URL, ending in '/'.</summary>
    public Uri BaseUrl => _base;

    /// <summary>A base URL that relative paths extend rather than replace ("…/mediavalet" + "uploads" = "…/mediavalet/uploads").</summary>
    public static Uri AsBase(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    /// <summary>Calls <paramref name="path"/> (relative, may carry a query) and reads the success answer as <typeparamref name="T"/>.</summary>
    public Task<T> SendAsync<T>(string operation, HttpMethod method, string path, Func<HttpContent>? content, CancellationToken cancellationToken) =>
        _http.SendAsync<T>(operation, () => Build(method, path, content), _json, cancellationToken, _tokens, _authorize, _unauthorizedStatuses);

    /// <summary>Calls <paramref name="path"/> for its effect; the answer's body is not read.</summary>
    public async Task SendAsync(string operation, HttpMethod method, string path, Func<HttpContent>? content, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(operation, () => Build(method, path, content), cancellationToken, _tokens, _authorize, _unauthorizedStatuses);
    }

    /// <summary>A JSON body for <see cref="SendAsync"/>, written anew for each attempt with the connector's JSON settings.</summary>
    public Func<HttpContent>? JsonBody(object? body, string? mediaType = null) =>
        body is null ? null : () => JsonContent.Create(body, body.GetType(), mediaType is null ? null : new MediaTypeHeaderValue(mediaType), _json);

    private HttpRequestMessage Build(HttpMethod method, string path, Func<HttpContent>? content)
    {
        var request = new HttpRequestMessage(method, new Uri(_base, path)) { Content = content?.Invoke() };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _headers?.Invoke(request);
        return request;
    }
}
