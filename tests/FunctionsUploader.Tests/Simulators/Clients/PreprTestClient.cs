using System.Net;
using System.Net.Http.Headers;
using FunctionsUploader.Simulators.Tenants;
using FunctionsUploader.Tests.Fixtures;

namespace FunctionsUploader.Tests.Simulators.Clients;

/// <summary>A Prepr client as small as a test needs.</summary>
internal sealed class PreprTestClient(Simulator simulator, SimulatorTenant tenant)
{
    public Task<VendorAnswer> CallAsync(HttpMethod method, string path, object? body = null) =>
        VendorCall.JsonAsync(method, new Uri(simulator.Instance.Prepr, path), body, Authorize);

    public async Task<VendorAnswer> StartAsync(long size, object? metadata = null)
    {
        var body = new Dictionary<string, object?> { ["label"] = "Video", ["upload_phase"] = "start", ["file_size"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var property in metadata?.GetType().GetProperties() ?? [])
        {
            body[property.Name] = property.GetValue(metadata);
        }

        var answer = await CallAsync(HttpMethod.Post, "assets", body);
        Assert.Equal(HttpStatusCode.Created, answer.Status);
        return answer;
    }

    public Task<VendorAnswer> TransferAsync(string id, ReadOnlyMemory<byte> chunk, long? startOffset = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("transfer"), "upload_phase" },
            { new StringContent("clip.mp4"), "original_name" },
        };
        if (startOffset is { } offset)
        {
            form.Add(new StringContent(offset.ToString(System.Globalization.CultureInfo.InvariantCulture)), "start_offset");
        }

        form.Add(new ReadOnlyMemoryContent(chunk), "file_chunk", "clip.mp4");
        return VendorCall.SendAsync(HttpMethod.Post, new Uri(simulator.Instance.Prepr, $"assets/{id}/multipart"), form, Authorize);
    }

    /// <summary>POST /assets with the whole file as "source" (images, documents, audio).</summary>
    public Task<VendorAnswer> UploadAsync(string fileName, ReadOnlyMemory<byte> file, string? name = null)
    {
        var form = new MultipartFormDataContent();
        if (name is not null)
        {
            form.Add(new StringContent(name), "name");
        }

        form.Add(new ReadOnlyMemoryContent(file), "source", fileName);
        return VendorCall.SendAsync(HttpMethod.Post, new Uri(simulator.Instance.Prepr, "assets"), form, Authorize);
    }

    public Task<VendorAnswer> FinishAsync(string id) => CallAsync(HttpMethod.Post, $"assets/{id}/multipart", new { upload_phase = "finish" });

    private void Authorize(HttpRequestMessage request) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Credentials.Prepr.AccessToken);
}
