using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Vendors.MediaValet;

/// <summary>
/// MediaValet's API as the connector calls it: every call with the current Bearer token and the APIM subscription
/// key, JSON bodies, answers read out of MediaValet's envelope.
/// </summary>
internal sealed class MediaValetApi
{
    public const string Vendor = "MediaValet";

    private const string SubscriptionKeyHeader = "Ocp-Apim-Subscription-Key";

    private readonly VendorApiClient _api;

    public MediaValetApi(MediaValetOptions options, HttpClient http, ILogger logger, TimeProvider time)
    {
        var vendorHttp = new VendorHttp(Vendor, http, options.Retry, time, MediaValetWire.ErrorMessage);
        // The official sample's sign-in: password grant with the client in a Basic header, scope "openid api"
        // (+ offline_access for a refresh token, renewed by the refresh_token grant); connect/token below AuthUrl.
        var tokens = new OAuth2PasswordTokens(vendorHttp, new OAuth2PasswordClient
        {
            TokenUrl = new Uri(VendorApiClient.AsBase(options.AuthUrl!), "connect/token"),
            ClientId = options.ClientId,
            ClientSecret = options.ClientSecret,
            Username = options.Username,
            Password = options.Password,
            Scope = options.Scope,
            BasicClientAuthentication = true,
        }, time, logger).CreateCache();
        _api = new VendorApiClient(vendorHttp, options.ApiUrl!, MediaValetWire.Json, r => r.Headers.Add(SubscriptionKeyHeader, options.SubscriptionKey), tokens);
    }

    /// <summary>Calls <paramref name="path"/> and returns the envelope's payload.</summary>
    public async Task<T> CallAsync<T>(string operation, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
        where T : class
    {
        var envelope = await _api.SendAsync<MediaValetEnvelope<T>>(operation, method, path, _api.JsonBody(body), cancellationToken);
        return envelope.Payload ?? throw VendorJson.Unexpected(Vendor, operation, 200, "the answer's payload is empty");
    }

    /// <summary>Calls <paramref name="path"/> for its effect; the answer's body is not needed.</summary>
    public Task CallAsync(string operation, HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        _api.SendAsync(operation, method, path, _api.JsonBody(body), cancellationToken);

    /// <summary>
    /// The finalize: PATCH uploads/{id} with the JSON Patch status = 1 as application/json, which is what MediaValet's
    /// official sample sends (PatchAsJsonAsync); JSON Patch's own media type may be refused with 415.
    /// </summary>
    public Task PatchStatusAsync(string uploadId, CancellationToken cancellationToken) =>
        _api.SendAsync("finalize upload", HttpMethod.Patch, $"uploads/{Uri.EscapeDataString(uploadId)}", _api.JsonBody(MediaValetWire.FinalizePatch), cancellationToken);
}
