using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Azure.Storage.Blobs;
using FunctionsUploader.Simulators.Tenants;
using FunctionsUploader.Storage;
using FunctionsUploader.Tests.Fixtures;

namespace FunctionsUploader.Tests.Simulators.Clients;

/// <summary>A MediaValet client as small as a test needs: token, JSON calls with Bearer and subscription key.</summary>
internal sealed class MediaValetTestClient(Simulator simulator, SimulatorTenant tenant)
{
    private readonly MediaValetCredentials _credentials = tenant.Credentials.MediaValet;

    public string? AccessToken { get; set; }

    public async Task<VendorAnswer> LogInAsync(string scope = "openid api")
    {
        var answer = await TokenAsync(("grant_type", "password"), ("username", _credentials.Username), ("password", _credentials.Password), ("scope", scope));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AccessToken = answer.Text("access_token");
        return answer;
    }

    /// <summary>The token endpoint with the client's Basic header, as the official sample calls it, unless the form has client_secret.</summary>
    public Task<VendorAnswer> TokenAsync(params (string Name, string Value)[] fields)
    {
        var form = fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).Append(KeyValuePair.Create("client_id", _credentials.ClientId)).ToList();
        var basic = fields.All(f => f.Name != "client_secret");
        return VendorCall.FormAsync(new Uri(simulator.Instance.MediaValet, "connect/token"), form, r =>
        {
            if (basic)
            {
                r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_credentials.ClientId}:{_credentials.ClientSecret}")));
            }
        });
    }

    public Task<VendorAnswer> CallAsync(HttpMethod method, string path, object? body, string? subscriptionKey = null) =>
        VendorCall.JsonAsync(method, new Uri(simulator.Instance.MediaValet, path), body, r =>
        {
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
            if ((subscriptionKey ?? _credentials.SubscriptionKey) is { Length: > 0 } key)
            {
                r.Headers.Add("Ocp-Apim-Subscription-Key", key);
            }
        });

    public async Task<VendorAnswer> CreateUploadAsync(string filename)
    {
        var answer = await CallAsync(HttpMethod.Post, "uploads", new { filename });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return new VendorAnswer(answer.Status, answer.Body.GetProperty("payload"), answer.Headers);
    }

    /// <summary>The whole new-asset flow; returns the asset id.</summary>
    public async Task<string> UploadAsync(string filename, byte[] data)
    {
        var upload = await CreateUploadAsync(filename);
        var id = upload.Text("id");
        await new BlobClient(new Uri(upload.Text("uploadUrl")), BlobClients.Options(maxRetries: 0)).UploadAsync(BinaryData.FromBytes(data), overwrite: true);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(HttpMethod.Put, $"uploads/{id}", new { filename = upload.Text("uploadFilename"), title = filename, fileSizeInBytes = data.Length })).Status);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(HttpMethod.Patch, $"uploads/{id}", new[] { new { op = "replace", path = "/status", value = 1 } })).Status);
        return id;
    }
}
