using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FunctionsUploader.Tests.Fixtures;

/// <summary>One answered vendor call: its status, headers and JSON body (JsonValueKind.Undefined when it had none).</summary>
public sealed record VendorAnswer(HttpStatusCode Status, JsonElement Body, System.Net.Http.Headers.HttpResponseHeaders Headers)
{
    public string Text(string property) => Body.GetProperty(property).GetString()!;

    public override string ToString() => $"{(int)Status} {Body}";
}

/// <summary>Plain HttpClient calls, as a connector makes them.</summary>
public static class VendorCall
{
    public static async Task<VendorAnswer> SendAsync(HttpMethod method, Uri uri, HttpContent? content = null, Action<HttpRequestMessage>? headers = null)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        headers?.Invoke(request);
        using var response = await Simulator.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new VendorAnswer(response.StatusCode, body, response.Headers);
    }

    public static Task<VendorAnswer> JsonAsync(HttpMethod method, Uri uri, object? body, Action<HttpRequestMessage>? headers = null) =>
        SendAsync(method, uri, body is null ? null : JsonContent.Create(body), headers);

    public static Task<VendorAnswer> FormAsync(Uri uri, IEnumerable<KeyValuePair<string, string>> fields, Action<HttpRequestMessage>? headers = null) =>
        SendAsync(HttpMethod.Post, uri, new FormUrlEncodedContent(fields), headers);
}
