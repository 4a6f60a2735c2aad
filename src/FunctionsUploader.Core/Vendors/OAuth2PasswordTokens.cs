using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Vendors;

/// <summary>
/// One OAuth2 client of a token endpoint that takes the resource owner password grant (MediaValet, Panopto): who
/// asks, as whom, for what. ToString never prints the secret or the password.
/// </summary>
public sealed record OAuth2PasswordClient
{
    public required Uri TokenUrl { get; init; }

    public required string ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public required string Username { get; init; }

    public required string Password { get; init; }

    /// <summary>Space-separated; add offline_access to be offered a refresh token.</summary>
    public string Scope { get; init; } = "openid api";

    /// <summary>Client id and secret in an "Authorization: Basic" header (RFC 6749 2.3.1) instead of form fields.</summary>
    public bool BasicClientAuthentication { get; init; } = true;

    public override string ToString() => $"{nameof(OAuth2PasswordClient)} {{ TokenUrl = {TokenUrl.GetLeftPart(UriPartial.Path)}, ClientId = {ClientId}, Username = {Username}, Scope = {Scope} }}";
}

/// <summary>
/// Fetches access tokens from an OAuth2 token endpoint: the refresh_token grant when the last token came with a
/// refresh token, else (or when the refresh is refused) the password grant. Pass <see cref="FetchAsync"/> to an
/// <see cref="AccessTokenCache"/>. Refusals are <see cref="VendorApiException"/>s quoting the endpoint's RFC 6749
/// error, which never echoes the credentials.
/// </summary>
public sealed class OAuth2PasswordTokens
{
    /// <summary>expires_in is optional in RFC 6749; without it a token is trusted this long.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(30);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly VendorHttp _http;
    private readonly OAuth2PasswordClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private string _scope;

    /// <param name="http">The vendor's HTTP plumbing: token requests get the same quick retries as its API calls.</param>
    public OAuth2PasswordTokens(VendorHttp http, OAuth2PasswordClient client, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(client);
        _http = http;
        _client = client;
        _scope = client.Scope;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public AccessTokenCache CreateCache() => new(FetchAsync, _time);

    /// <summary>
    /// The words of an RFC 6749 error answer ("invalid_grant: The refresh token has expired."), for the vendor's
    /// <see cref="VendorHttp"/>; null for any other body.
    /// </summary>
    public static string? ErrorMessage(JsonElement body)
    {
        var error = VendorJson.Text(body, "error");
        var description = VendorJson.Text(body, "error_description");
        return error is null ? description : description is null ? error : $"{error}: {description}";
    }

    public async Task<AccessToken> FetchAsync(AccessToken? previous, CancellationToken cancellationToken)
    {
        if (previous?.RefreshToken is { } refreshToken)
        {
            try
            {
                return await RequestAsync("refresh_token", [new("refresh_token", refreshToken)], refreshToken, cancellationToken);
            }
            catch (VendorApiException e) when (!e.Retryable)
            {
                // An expired or revoked refresh token: logging in again is what the samples do.
                _logger.RefreshTokenRefused(_http.Vendor, e.Status, e.VendorMessage ?? "no reason given");
            }
        }

        try
        {
            return await PasswordGrantAsync(_scope, cancellationToken);
        }
        catch (VendorApiException e) when (e.Status == 400 && e.VendorMessage?.StartsWith("invalid_scope", StringComparison.Ordinal) == true && WithoutOfflineAccess(_scope) is { } narrower)
        {
            // offline_access only adds a refresh token; a server that will not grant it still grants the rest.
            _logger.ScopeNarrowed(_http.Vendor, _scope, narrower);
            _scope = narrower;
            return await PasswordGrantAsync(_scope, cancellationToken);
        }
    }

    private Task<AccessToken> PasswordGrantAsync(string scope, CancellationToken cancellationToken) =>
        RequestAsync("password", [new("username", _client.Username), new("password", _client.Password), new("scope", scope)], null, cancellationToken);

    private static string? WithoutOfflineAccess(string scope)
    {
        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return scopes.Contains("offline_access", StringComparer.Ordinal) ? string.Join(' ', scopes.Where(s => s != "offline_access")) : null;
    }

    private async Task<AccessToken> RequestAsync(string grant, KeyValuePair<string, string>[] fields, string? previousRefreshToken, CancellationToken cancellationToken)
    {
        var operation = $"token request ({grant.Replace('_', ' ')} grant)";
        var issuedAt = _time.GetUtcNow();
        var answer = await _http.SendAsync<TokenAnswer>(operation, () => Build(grant, fields), Json, cancellationToken);
        if (answer.AccessToken is not { Length: > 0 } accessToken)
        {
            throw VendorJson.Unexpected(_http.Vendor, operation, 200, "the answer has no access_token");
        }

        var lifetime = answer.ExpiresIn is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
        // A server may keep the refresh token it was given (RFC 6749 section 6): then the old one stays good.
        var token = new AccessToken(accessToken, issuedAt + lifetime, answer.RefreshToken is { Length: > 0 } refreshToken ? refreshToken : previousRefreshToken);
        _logger.AccessTokenFetched(_http.Vendor, grant, token.ExpiresOn, token.RefreshToken is not null);
        return token;
    }

    private HttpRequestMessage Build(string grant, KeyValuePair<string, string>[] fields)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", grant), new("client_id", _client.ClientId) };
        form.AddRange(fields);
        var request = new HttpRequestMessage(HttpMethod.Post, _client.TokenUrl);
        if (_client.BasicClientAuthentication)
        {
            // RFC 6749 2.3.1: both halves are form-url-encoded before base64.
            var pair = $"{Uri.EscapeDataString(_client.ClientId)}:{Uri.EscapeDataString(_client.ClientSecret ?? string.Empty)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
        else if (_client.ClientSecret is not null)
        {
            form.Add(new("client_secret", _client.ClientSecret));
        }

        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    /// <summary>The token endpoint's answer (RFC 6749 section 5.1).</summary>
    private sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] long? ExpiresIn,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken);
}
