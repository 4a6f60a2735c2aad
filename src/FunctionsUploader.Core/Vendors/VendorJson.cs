using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FunctionsUploader.Vendors;

/// <summary>JSON calls to a vendor's REST API through <see cref="VendorHttp"/>: the request, the answer, its fields.</summary>
internal static class VendorJson
{
    public static HttpRequestMessage Request(HttpMethod method, Uri uri, JsonNode? body)
    {
        var request = new HttpRequestMessage(method, uri)
        {
            Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    /// <summary>Sends through <paramref name="http"/> and returns the answer's JSON (Undefined when it has no body).</summary>
    public static async Task<JsonElement> SendAsync(
        VendorHttp http,
        string operation,
        Func<HttpRequestMessage> build,
        CancellationToken cancellationToken,
        AccessTokenCache? tokens = null,
        Action<HttpRequestMessage, AccessToken>? authorize = null,
        int[]? unauthorizedStatuses = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.SendAsync(operation, build, cancellationToken, tokens, authorize, unauthorizedStatuses);
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
            throw new VendorApiException(http.Vendor, operation, (int)response.StatusCode, retryable: false, "the answer is not JSON: " + text);
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
