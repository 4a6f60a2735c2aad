using System.Text.Json;

namespace FunctionsUploader.Vendors;

/// <summary>
/// One vendor API below a base URL, called with the vendor's current token: each attempt builds its request anew
/// (path relative to the base, fresh content), <see cref="VendorHttp"/> retries and renews the token, and JSON
/// answers are read into the connector's wire types.
/// </summary>
public sealed class VendorApiClient
{
    private readonly VendorHttp _http;
    private readonly Uri _base;
    private readonly AccessTokenCache _tokens;
    private readonly Action<HttpRequestMessage, AccessToken> _authorize;
    private readonly JsonSerializerOptions _json;

    public VendorApiClient(VendorHttp http, Uri baseUrl, AccessTokenCache tokens, Action<HttpRequestMessage, AccessToken> authorize, JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        _http = http;
        _base = AsBase(baseUrl);
        _tokens = tokens;
        _authorize = authorize;
        _json = json;
    }

    public string Vendor => _http.Vendor;

    /// <summary>A base URL that relative paths extend rather than replace ("…/mediavalet" + "uploads" = "…/mediavalet/uploads").</summary>
    public static Uri AsBase(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    /// <summary>Calls <paramref name="path"/> (relative, may carry a query) and reads the success answer as <typeparamref name="T"/>.</summary>
    public Task<T> SendAsync<T>(string operation, HttpMethod method, string path, Func<HttpContent>? content, CancellationToken cancellationToken) =>
        _http.SendAsync<T>(operation, () => Build(method, path, content), _json, cancellationToken, _tokens, _authorize);

    /// <summary>Calls <paramref name="path"/> for its effect; the answer's body is not read.</summary>
    public async Task SendAsync(string operation, HttpMethod method, string path, Func<HttpContent>? content, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(operation, () => Build(method, path, content), cancellationToken, _tokens, _authorize);
    }

    private HttpRequestMessage Build(HttpMethod method, string path, Func<HttpContent>? content) =>
        new(method, new Uri(_base, path)) { Content = content?.Invoke() };
}
