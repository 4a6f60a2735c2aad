using System.Net;
using FunctionsUploader.Simulators;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Tests.Simulators.Clients;

namespace FunctionsUploader.Tests.Simulators;

public sealed class PicovicoSimulatorTests(Simulator simulator) : IClassFixture<Simulator>
{
    private const int Chunk = 5 * 1024 * 1024;

    [Fact]
    public async Task Presigned_parts_then_finalize_make_a_clip_that_becomes_available_and_dedupes_by_md5()
    {
        var tenant = simulator.NewTenant();
        var api = new PicovicoTestClient(simulator, tenant);
        await api.LogInAsync();
        var data = TestData.Bytes(Chunk + 1000, seed: 21);
        var md5 = TestData.Md5Hex(data);

        var target = await api.GetUrlsAsync(md5, data.Length);
        Assert.True(target.Body.GetProperty("_upload").GetBoolean());
        var upload = target.Body.GetProperty("data")[0];
        Assert.Equal(Chunk, upload.GetProperty("chunk_size").GetInt32());
        var parts = await PicovicoTestClient.PutPartsAsync(upload, data, [Chunk, 1000]);
        var finalized = await api.CompleteAsync(md5, parts);
        var clipId = finalized.Body.GetProperty("data")[0].GetProperty("id").GetString()!;
        var firstPoll = await api.CallAsync(HttpMethod.Get, $"me/videoclips/{clipId}");
        var secondPoll = await api.CallAsync(HttpMethod.Get, $"me/videoclips/{clipId}");
        var again = await api.GetUrlsAsync(md5, data.Length);

        Assert.Equal(HttpStatusCode.OK, finalized.Status);
        Assert.Equal("pending", finalized.Body.GetProperty("data")[0].GetProperty("status").GetString());
        Assert.Equal("pending", firstPoll.Body.GetProperty("data")[0].GetProperty("status").GetString());
        Assert.Equal("available", secondPoll.Body.GetProperty("data")[0].GetProperty("status").GetString());
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
        var api = new PicovicoTestClient(simulator, tenant);
        await api.LogInAsync();
        var data = TestData.Bytes(1000, seed: 22);
        var claimed = TestData.Md5Hex(TestData.Bytes(1000, seed: 23));

        var target = await api.GetUrlsAsync(claimed, data.Length);
        var parts = await PicovicoTestClient.PutPartsAsync(target.Body.GetProperty("data")[0], data, [1000]);
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
        var api = new PicovicoTestClient(simulator, tenant);
        await api.LogInAsync();
        var data = TestData.Bytes(Chunk + 1000, seed: 24);
        var md5 = TestData.Md5Hex(data);

        var target = await api.GetUrlsAsync(md5, data.Length);
        var wrongSizes = await PicovicoTestClient.PutPartsAsync(target.Body.GetProperty("data")[0], data, [Chunk - 1000, 2000]);
        var sizeRejected = await api.CompleteAsync(md5, wrongSizes);
        target = await api.GetUrlsAsync(md5, data.Length);
        var parts = await PicovicoTestClient.PutPartsAsync(target.Body.GetProperty("data")[0], data, [Chunk, 1000]);
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
        var api = new PicovicoTestClient(simulator, tenant);
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
        var api = new PicovicoTestClient(simulator, tenant);
        await api.LogInAsync();
        await simulator.AddFaultAsync(tenant, new { vendor = "picovico", operation = "completeUpload", failProcessing = true });
        var data = TestData.Bytes(500, seed: 25);
        var md5 = TestData.Md5Hex(data);

        var parts = await PicovicoTestClient.PutPartsAsync((await api.GetUrlsAsync(md5, data.Length)).Body.GetProperty("data")[0], data, [500]);
        var clipId = (await api.CompleteAsync(md5, parts)).Body.GetProperty("data")[0].GetProperty("id").GetString();
        var poll = await api.CallAsync(HttpMethod.Get, $"me/videoclips/{clipId}");
        var again = await api.GetUrlsAsync(md5, data.Length);

        Assert.Equal("failed", PicovicoTestClient.Field(poll, "status"));
        Assert.True(again.Body.GetProperty("_upload").GetBoolean());
    }

    [Theory]
    [InlineData("2.7")]
    [InlineData("2.1")]
    public async Task Login_and_videoclip_answers_are_wrapped_in_data_under_v2_7_and_bare_under_v2_1(string version)
    {
        var tenant = simulator.NewTenant(s => s.PicovicoApiVersion = version);
        var api = new PicovicoTestClient(simulator, tenant);
        var credentials = tenant.Credentials.Picovico;

        var login = await VendorCall.FormAsync(new Uri(simulator.Instance.Picovico, "login"),
            [KeyValuePair.Create("username", credentials.Username), KeyValuePair.Create("password", credentials.Password), KeyValuePair.Create("app_id", credentials.AppId)]);

        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.Equal(version == "2.7", login.Body.TryGetProperty("data", out _));
        Assert.Equal(version == "2.1", login.Body.TryGetProperty("access_key", out _));
        Assert.NotEmpty(PicovicoTestClient.Field(login, "access_token"));
        await api.LogInAsync();
    }

    [Fact]
    public async Task An_expired_part_url_is_refused_403_and_asking_again_gives_fresh_urls_for_the_same_upload()
    {
        // Long enough that fresh URLs outlive a slow machine (X-Amz-Date has whole seconds), short enough to wait out.
        var tenant = simulator.NewTenant(s => s.PresignedUrlLifetime = TimeSpan.FromSeconds(4));
        var api = new PicovicoTestClient(simulator, tenant);
        await api.LogInAsync();
        var data = TestData.Bytes(1000, seed: 23);
        var md5 = TestData.Md5Hex(data);
        var first = (await api.GetUrlsAsync(md5, data.Length)).Body.GetProperty("data")[0];

        await Task.Delay(TimeSpan.FromSeconds(5.5));
        using var expired = await Simulator.Http.PutAsync(first.GetProperty("urls")[0].GetProperty("url").GetString(), new ByteArrayContent(data));
        var again = (await api.GetUrlsAsync(md5, data.Length)).Body.GetProperty("data")[0];
        var parts = await PicovicoTestClient.PutPartsAsync(again, data, [data.Length]);
        var finalized = await api.CompleteAsync(md5, parts);

        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("Request has expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(first.GetProperty("upload_id").GetString(), again.GetProperty("upload_id").GetString());
        Assert.Equal(HttpStatusCode.OK, finalized.Status);
    }
}
