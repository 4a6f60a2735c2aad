using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Vendors.MediaValet;

/// <summary>
/// Gets MediaValet access tokens from the login service's connect/token: the refresh_token grant when the last token
/// came with a refresh token, else (or when the refresh token is refused) the password grant the official sample uses.
/// </summary>
internal sealed class MediaValetSignIn(MediaValetOptions options, VendorHttp http, ILogger logger, TimeProvider time)
{
    /// <summary>MediaValet publishes no token lifetime; when the answer names none, renew well within an hour [Assumed].</summary>
    private static readonly TimeSpan LifetimeWhenUnstated = TimeSpan.FromMinutes(30);

    private readonly Uri _tokenEndpoint = new(VendorApiClient.AsBase(options.AuthUrl!), "connect/token");

    /// <summary>The fetch of the connector's <see cref="AccessTokenCache"/>.</summary>
    public async Task<AccessToken> FetchAsync(AccessToken? previous, CancellationToken cancellationToken)
    {
        if (previous?.RefreshToken is { } refreshToken)
        {
            try
            {
                return await RequestAsync("refresh_token", [
                    new("grant_type", "refresh_token"),
                    new("client_id", options.ClientId),
                    new("client_secret", options.ClientSecret),
                    new("refresh_token", refreshToken),
                ], basic: false, refreshToken, cancellationToken);
            }
            catch (VendorApiException e) when (!e.Retryable)
            {
                logger.MediaValetRefreshRefused(e.VendorMessage ?? $"status {e.Status}");
            }
        }

        return await RequestAsync("password", [
            new("grant_type", "password"),
            new("client_id", options.ClientId),
            new("username", options.Username),
            new("password", options.Password),
            new("scope", options.Scope),
        ], basic: true, null, cancellationToken);
    }

    private async Task<AccessToken> RequestAsync(string grant, KeyValuePair<string, string>[] form, bool basic, string? previousRefreshToken, CancellationToken cancellationToken)
    {
        var answer = await http.SendAsync<MediaValetTokenAnswer>(
            "sign-in",
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, _tokenEndpoint) { Content = new FormUrlEncodedContent(form) };
                if (basic)
                {
                    // RFC 6749 2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
                    var pair = $"{Uri.EscapeDataString(options.ClientId)}:{Uri.EscapeDataString(options.ClientSecret)}";
                    request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
                }

                return request;
            },
            MediaValetWire.Json,
            cancellationToken);
        if (string.IsNullOrEmpty(answer.AccessToken))
        {
            throw VendorJson.Unexpected(http.Vendor, "sign-in", 200, "the token answer has no access_token");
        }

        var expiresOn = time.GetUtcNow() + (answer.ExpiresIn is int seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : LifetimeWhenUnstated);
        logger.MediaValetTokenIssued(grant, expiresOn);
        // A refresh grant may answer without a new refresh token: the one it used stays good.
        return new AccessToken(answer.AccessToken, expiresOn, answer.RefreshToken ?? previousRefreshToken);
    }
}
