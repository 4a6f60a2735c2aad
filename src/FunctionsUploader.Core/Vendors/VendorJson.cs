using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FunctionsUploader.Vendors;

/// <summary>JSON to and from a vendor's REST API: the request, the answer, its fields.</summary>
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
