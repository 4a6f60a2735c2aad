using System.Net.Http.Json;
using System.Text.Json;

namespace FunctionsUploader.Vendors;

/// <summary>
/// Vendor calls that answer JSON: sent through <see cref="VendorHttp"/> and read into the connector's wire type (or a
/// <see cref="JsonElement"/> read by field). An answer that is not the JSON the vendor documents becomes a
/// <see cref="VendorApiException"/> like any other failure: not retryable when malformed, retryable when broken off.
/// </summary>
public static class VendorJson
{
    /// <summary>Sends as <see cref="VendorHttp.SendAsync"/> does and reads the success answer as <typeparamref name="T"/>.</summary>
    public static async Task<T> SendAsync<T>(
        this VendorHttp http,
        string operation,
        Func<HttpRequestMessage> build,
        JsonSerializerOptions json,
        CancellationToken cancellationToken,
        AccessTokenCache? tokens = null,
        Action<HttpRequestMessage, AccessToken>? authorize = null,
        int[]? unauthorizedStatuses = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.SendAsync(operation, build, cancellationToken, tokens, authorize, unauthorizedStatuses);
        return await ReadAsync<T>(response, http.Vendor, operation, json, cancellationToken);
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, string vendor, string operation, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(json, cancellationToken) ?? throw Unexpected(vendor, operation, status, "the answer is empty");
        }
        catch (JsonException e)
        {
            throw Unexpected(vendor, operation, status, $"the answer is not the JSON expected ({e.Message})");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The connection broke while the answer was read: as transient as no answer at all.
            throw new VendorApiException(vendor, operation, 0, retryable: true, $"the answer broke off ({e.Message})", innerException: e);
        }
    }

    /// <summary>A success answer without what the vendor documents: retrying the same call cannot change it.</summary>
    public static VendorApiException Unexpected(string vendor, string operation, int status, string problem) =>
        new(vendor, operation, status, retryable: false, problem);

    /// <summary>A string (or number) property of an object, as text; null when absent, null or empty.</summary>
    public static string? Text(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var property)
            ? property.ValueKind switch
            {
                JsonValueKind.String => property.GetString() is { Length: > 0 } text ? text : null,
                JsonValueKind.Number => property.GetRawText(),
                _ => null,
            }
            : null;
}
