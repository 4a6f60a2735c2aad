using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Vendors.Picovico;

/// <summary>
/// Logs in to Picovico (POST login, form-encoded [Assumed]: username, password, device_id, app_id, with the app id also
/// as X-PV-Meta-App) for the access key and token every /me call carries, read from v2.7's {"data": [...]} or v2.1's
/// bare object. Picovico documents no expiry or refresh
/// [Assumed], so a login lasts until the API answers 401 and the connector logs in again.
/// </summary>
internal sealed class PicovicoLogin(PicovicoOptions options, VendorHttp http, ILogger logger)
{
    public const string AppHeader = "X-PV-Meta-App";

    private readonly Uri _login = new(VendorApiClient.AsBase(options.BaseUrl!), "login");

    /// <summary>The fetch of the connector's <see cref="AccessTokenCache"/>.</summary>
    public async Task<AccessToken> FetchAsync(AccessToken? previous, CancellationToken cancellationToken)
    {
        var answer = PicovicoWire.One<PicovicoLoginAnswer>(await http.SendAsync<JsonElement>(
            "login",
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, _login)
                {
                    Content = new FormUrlEncodedContent([
                        new("username", options.Username),
                        new("password", options.Password),
                        new("device_id", options.DeviceId),
                        new("app_id", options.AppId),
                    ]),
                };
                request.Headers.Add(AppHeader, options.AppId);
                return request;
            },
            PicovicoWire.Json,
            cancellationToken));
        if (answer is not { AccessKey: { Length: > 0 } key, AccessToken: { Length: > 0 } token })
        {
            throw VendorJson.Unexpected(http.Vendor, "login", 200, "the answer has no access_key and access_token");
        }

        logger.PicovicoLoggedIn(options.AppId);
        return new AccessToken(token, DateTimeOffset.MaxValue, Key: key);
    }
}
