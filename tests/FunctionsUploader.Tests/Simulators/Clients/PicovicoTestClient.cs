using System.Net;
using System.Text.Json;
using FunctionsUploader.Simulators.Tenants;
using FunctionsUploader.Tests.Fixtures;

namespace FunctionsUploader.Tests.Simulators.Clients;

/// <summary>A Picovico client as small as a test needs.</summary>
internal sealed class PicovicoTestClient(Simulator simulator, SimulatorTenant tenant)
{
    private readonly PicovicoCredentials _credentials = tenant.Credentials.Picovico;
    private string _key = string.Empty;
    private string _token = string.Empty;

    public async Task LogInAsync(bool asApp = false)
    {
        var login = asApp
            ? await VendorCall.FormAsync(new Uri(simulator.Instance.Picovico, "login/app"), [KeyValuePair.Create("app_secret", _credentials.AppSecret)], r => r.Headers.Add("X-PV-Meta-App", _credentials.AppId))
            : await VendorCall.FormAsync(new Uri(simulator.Instance.Picovico, "login"),
                [KeyValuePair.Create("username", _credentials.Username), KeyValuePair.Create("password", _credentials.Password), KeyValuePair.Create("device_id", "tests"), KeyValuePair.Create("app_id", _credentials.AppId)]);
        Assert.Equal(HttpStatusCode.OK, login.Status);
        (_key, _token) = (Field(login, "access_key"), Field(login, "access_token"));
    }

    /// <summary>A field of the one object an answer carries: inside data under v2.7, at the top under v2.1.</summary>
    public static string Field(VendorAnswer answer, string name) =>
        (answer.Body.TryGetProperty("data", out var data) ? data[0] : answer.Body).GetProperty(name).GetString()!;

    public Task<VendorAnswer> CallAsync(HttpMethod method, string path, HttpContent? content = null, string? app = null, string? key = null) =>
        VendorCall.SendAsync(method, new Uri(simulator.Instance.Picovico, path), content, r =>
        {
            r.Headers.Add("X-Access-Key", key ?? _key);
            r.Headers.Add("X-Access-Token", _token);
            if ((app ?? _credentials.AppId) is { Length: > 0 } appId)
            {
                r.Headers.Add("X-PV-Meta-App", appId);
            }
        });

    public async Task<VendorAnswer> GetUrlsAsync(string md5, long size)
    {
        var answer = await CallAsync(HttpMethod.Get, $"me/directupload/videoclip/{md5}/?size={size}&filename=clip.mp4");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer;
    }

    /// <summary>PUTs consecutive slices of <paramref name="data"/> of the given sizes to the part URLs, as S3 UploadPart.</summary>
    public static async Task<List<(int PartNumber, string ETag)>> PutPartsAsync(JsonElement upload, byte[] data, int[] sizes)
    {
        var parts = new List<(int, string)>();
        var offset = 0;
        foreach (var (url, size) in upload.GetProperty("urls").EnumerateArray().Zip(sizes))
        {
            using var put = await Simulator.Http.PutAsync(url.GetProperty("url").GetString(), new ByteArrayContent(data, offset, size));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            parts.Add((url.GetProperty("PartNumber").GetInt32(), put.Headers.ETag!.Tag));
            offset += size;
        }

        return parts;
    }

    public Task<VendorAnswer> CompleteAsync(string md5, List<(int PartNumber, string ETag)> parts) =>
        CallAsync(HttpMethod.Post, $"me/directupload/videoclip/{md5}/", new FormUrlEncodedContent(
            [KeyValuePair.Create("uploads", JsonSerializer.Serialize(parts.Select(p => new { p.PartNumber, p.ETag })))]));
}
