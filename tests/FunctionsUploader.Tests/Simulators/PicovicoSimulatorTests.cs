using System.Net;
using System.Text.Json;
using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Tenants;
using FunctionsUploader.Tests.Fixtures;

namespace FunctionsUploader.Tests.Simulators;

public sealed class PicovicoSimulatorTests(Simulator simulator) : IClassFixture<Simulator>
{
    private const int Chunk = 5 * 1024 * 1024;

    [Fact]
    public async Task Presigned_parts_then_finalize_make_a_clip_that_becomes_available_and_dedupes_by_md5()
    {
        var tenant = simulator.NewTenant();
        var api = new PicovicoApi(simulator, tenant);
        await api.LogInAsync();
        var data = TestData.Bytes(Chunk + 1000, seed: 21);
        var md5 = TestData.Md5Hex(data);

        var target = await api.GetUrlsAsync(md5, data.Length);
        Assert.True(target.Body.GetProperty("_upload").GetBoolean());
        var upload = target.Body.GetProperty("data")[0];
        Assert.Equal(Chunk, upload.GetProperty("chunk_size").GetInt32());
        var parts = await PicovicoApi.PutPartsAsync(upload, data, [Chunk, 1000]);
        var finalized = await api.CompleteAsync(md5, parts);
        var clipId = finalized.Body.GetProperty("data")[0].GetProperty("id").GetString()!;
        var firstPoll = await api.CallAsync(HttpMethod.Get, $"me/videoclips/{clipId}");
        var secondPoll = await api.CallAsync(HttpMethod.Get, $"me/videoclips/{clipId}");
        var again = await api.GetUrlsAsync(md5, data.Length);

        Assert.Equal(HttpStatusCode.OK, finalized.Status);
        Assert.Equal("pending", finalized.Body.GetProperty("data")[0].GetProperty("status").GetString());
        Assert.Equal("pending", firstPoll.Text("status"));
        Assert.Equal("available", secondPoll.Text("status"));
        Assert.False(again.Body.GetProperty("_upload").GetBoolean());
        Assert.Equal(clipId, again.Body.GetProperty("data")[0].GetProperty("id").GetString());
        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Picovico, clipId);
        Assert.Equal((long)data.Length, report.Size);
        Assert.Equal(md5, report.Md5);
        Assert.Equal("available", report.Status);
        Assert.Contains(report.Requests, r => r.Operation == "completeUpload" && r.Status == 200);
    }

    [Fact]
    public async Task Finalize_rejects_content_whose_md5_is_not_the_one_in_the_path_and_the_next_request_starts_over()
    {
        var tenant = simulator.NewTenant();
        var api = new PicovicoApi(simulator, tenant);
        await api.LogInAsync();
        var data = TestData.Bytes(1000, seed: 22);
        var claimed = TestData.Md5Hex(TestData.Bytes(1000, seed: 23));

        var target = await api.GetUrlsAsync(claimed, data.Length);
        var parts = await PicovicoApi.PutPartsAsync(target.Body.GetProperty("data")[0], data, [1000]);
        var rejected = await api.CompleteAsync(claimed, parts);
        var retry = await api.GetUrlsAsync(claimed, data.Length);

        Assert.Equal(HttpStatusCode.BadRequest, rejected.Status);
        Assert.Contains(TestData.Md5Hex(data), rejected.Body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, rejected.Body.GetProperty("status").GetInt32());
        Assert.True(retry.Body.GetProperty("_upload").GetBoolean());
        Assert.NotEqual(target.Body.GetProperty("data")[0].GetProperty("upload_id").GetString(), retry.Body.GetProperty("data")[0].GetProperty("upload_id").GetString());
    }

    [Fact]
    public async Task Finalize_rejects_parts_that_are_not_5_MiB_and_etags_that_are_not_the_parts()
    {
        var tenant = simulator.NewTenant();
        var api = new PicovicoApi(simulator, tenant);
        await api.LogInAsync();
        var data = TestData.Bytes(Chunk + 1000, seed: 24);
        var md5 = TestData.Md5Hex(data);

        var target = await api.GetUrlsAsync(md5, data.Length);
        var wrongSizes = await PicovicoApi.PutPartsAsync(target.Body.GetProperty("data")[0], data, [Chunk - 1000, 2000]);
        var sizeRejected = await api.CompleteAsync(md5, wrongSizes);
        target = await api.GetUrlsAsync(md5, data.Length);
        var parts = await PicovicoApi.PutPartsAsync(target.Body.GetProperty("data")[0], data, [Chunk, 1000]);
        var etagRejected = await api.CompleteAsync(md5, [(1, parts[0].ETag), (2, "\"00000000000000000000000000000000\"")]);
        var missingPart = await api.CompleteAsync(md5, [parts[0]]);

        Assert.Equal(HttpStatusCode.BadRequest, sizeRejected.Status);
        Assert.Contains("exactly 5242880 bytes", sizeRejected.Body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, etagRejected.Status);
        Assert.Contains("Part 2's ETag", etagRejected.Body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missingPart.Status);
    }

    [Fact]
    public async Task Calls_need_the_app_header_and_a_live_token_pair_and_expired_tokens_are_refused()
    {
        var tenant = simulator.NewTenant();
        var api = new PicovicoApi(simulator, tenant);
        var wrongPassword = await VendorCall.FormAsync(new Uri(simulator.Instance.Picovico, "login"),
            [KeyValuePair.Create("username", tenant.Credentials.Picovico.Username), KeyValuePair.Create("password", "nope"), KeyValuePair.Create("app_id", tenant.Credentials.Picovico.AppId)]);
        await api.LogInAsync();
        var withoutApp = await api.CallAsync(HttpMethod.Get, "me/videoclips/x", app: "");
        var wrongKey = await api.CallAsync(HttpMethod.Get, "me/videoclips/x", key: "nope");
        var unknownClip = await api.CallAsync(HttpMethod.Get, "me/videoclips/x");
        await simulator.AddFaultAsync(tenant, new { vendor = "picovico", operation = "getVideoclip", expireTokens = true });
        var expired = await api.CallAsync(HttpMethod.Get, "me/videoclips/x");
        await api.LogInAsync(asApp: true);
        var afterLogin = await api.CallAsync(HttpMethod.Get, "me/videoclips/x");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutApp.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknownClip.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Contains("expired", expired.Body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, afterLogin.Status);
    }

    [Fact]
    public async Task A_fail_processing_rule_on_finalize_ends_the_clip_failed()
    {
        var tenant = simulator.NewTenant(s => s.ProcessingPolls = 0);
        var api = new PicovicoApi(simulator, tenant);
        await api.LogInAsync();
        await simulator.AddFaultAsync(tenant, new { vendor = "picovico", operation = "completeUpload", failProcessing = true });
        var data = TestData.Bytes(500, seed: 25);
        var md5 = TestData.Md5Hex(data);

        var parts = await PicovicoApi.PutPartsAsync((await api.GetUrlsAsync(md5, data.Length)).Body.GetProperty("data")[0], data, [500]);
        var clipId = (await api.CompleteAsync(md5, parts)).Body.GetProperty("data")[0].GetProperty("id").GetString();
        var poll = await api.CallAsync(HttpMethod.Get, $"me/videoclips/{clipId}");
        var again = await api.GetUrlsAsync(md5, data.Length);

        Assert.Equal("failed", poll.Text("status"));
        Assert.True(again.Body.GetProperty("_upload").GetBoolean());
    }

    /// <summary>A Picovico client as small as a test needs.</summary>
    private sealed class PicovicoApi(Simulator simulator, SimulatorTenant tenant)
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
            (_key, _token) = (login.Text("access_key"), login.Text("access_token"));
        }

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
}
