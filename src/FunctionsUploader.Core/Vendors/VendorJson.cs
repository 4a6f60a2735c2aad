using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FunctionsUploader.Vendors;

/// <summary>
/// Vendor calls that answer JSON: sent through <see cref="VendorHttp"/> and read into the connector's wire type, or
/// as a <see cref="JsonElement"/> whose fields are read by name. An answer that is not the JSON the vendor documents
/// becomes a <see cref="VendorApiException"/> like any other failure.
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
        Action<HttpRequestMessage, AccessToken>? authorize = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.SendAsync(operation, build, cancellationToken, tokens, authorize);
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

    public static HttpRequestMessage Request(HttpMethod method, Uri uri, JsonNode? body)
    {
        var request = new HttpRequestMessage(method, uri)
        {
            Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    /// <summary>The JSON of a successful answer (Undefined when it has no body); an answer that is not JSON is the vendor's failure.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string vendor, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new VendorApiException(vendor, operation, (int)response.StatusCode, retryable: false, "the answer is not JSON: " + text);
        }
    }

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

    public static Uri WithTrailingSlash(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
