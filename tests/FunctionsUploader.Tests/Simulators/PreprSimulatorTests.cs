using System.Net;
using System.Net.Http.Headers;
using FunctionsUploader.Simulators;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Tests.Simulators.Clients;

namespace FunctionsUploader.Tests.Simulators;

public sealed class PreprSimulatorTests(Simulator simulator) : IClassFixture<Simulator>
{
    private const int Chunk = 64 * 1024;

    [Fact]
    public async Task Chunks_are_appended_the_reply_shows_the_last_range_and_the_asset_answers_like_prepr_with_cdn_files_once_processed()
    {
        // 5 MiB chunks: larger than the simulator's 4 MiB staging piece, so a chunk spans several blocks.
        const int chunk = 5 * 1024 * 1024;
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = chunk);
        var api = new PreprTestClient(simulator, tenant);
        var data = TestData.Bytes(2 * chunk + 18_928, seed: 31);

        var started = await api.StartAsync(data.Length, new { name = "Launch", reference_id = "job-1" });
        var id = started.Text("id");
        var replies = new List<(long Start, long End)>();
        for (var offset = 0; offset < data.Length; offset += chunk)
        {
            var answer = await api.TransferAsync(id, data.AsMemory(offset, Math.Min(chunk, data.Length - offset)));
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            var file = answer.Body.GetProperty("source_file");
            replies.Add((file.GetProperty("start_offset").GetInt64(), file.GetProperty("end_offset").GetInt64()));
        }

        var finished = await api.FinishAsync(id);
        var firstPoll = await api.CallAsync(HttpMethod.Get, $"assets/{id}");
        var secondPoll = await api.CallAsync(HttpMethod.Get, $"assets/{id}");
        var updated = await api.CallAsync(HttpMethod.Put, $"assets/{id}", new { body = "Description", tags = new { items = new[] { new { body = "launch" } } }, collections = new { items = new[] { new { id = "col-1" } } } });

        Assert.Equal(HttpStatusCode.Created, started.Status);
        // As the finished Prepr asset in vpro/prepr shows: the last chunk's range, end_offset at the file size.
        Assert.Equal([(0L, (long)chunk), (chunk, 2L * chunk), (2L * chunk, data.Length)], replies);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, finished.Body.GetProperty("status").ValueKind);
        Assert.Equal(0, firstPoll.Body.GetProperty("cdn_files").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, secondPoll.Body.GetProperty("status").ValueKind);
        Assert.Equal(1, secondPoll.Body.GetProperty("cdn_files").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("800", secondPoll.Headers.GetValues("X-Prepr-RateLimit-Limit").Single());
        Assert.True(int.Parse(secondPoll.Headers.GetValues("X-Prepr-RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture) < 800);
        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, id);
        Assert.Equal("processed", report.Status);
        Assert.Equal((long)data.Length, report.Size);
        Assert.Equal(TestData.Md5Hex(data), report.Md5);
        Assert.Equal("clip.mp4", report.FileName);
        Assert.Equal("Launch", report.Metadata["name"]);
        Assert.Equal("Description", report.Metadata["body"]);
        Assert.Equal(["launch"], report.Keywords);
        Assert.Equal(["col-1"], report.Categories);
        Assert.Equal(3, report.Requests.Count(r => r.Operation == "transfer" && r.Status == 200));
    }

    [Fact]
    public async Task A_resent_last_chunk_is_refused_for_running_past_file_size_and_nothing_is_stored_twice()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        var api = new PreprTestClient(simulator, tenant);
        var data = TestData.Bytes(Chunk + 100, seed: 32);
        var id = (await api.StartAsync(data.Length)).Text("id");

        var tooLong = await api.TransferAsync(id, TestData.Bytes(Chunk + 1, seed: 1));
        var first = await api.TransferAsync(id, data.AsMemory(0, Chunk), startOffset: 0);
        var stale = await api.TransferAsync(id, data.AsMemory(Chunk, 100), startOffset: 0);
        var finishEarly = await api.FinishAsync(id);
        var last = await api.TransferAsync(id, data.AsMemory(Chunk, 100));
        var again = await api.TransferAsync(id, data.AsMemory(Chunk, 100));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Contains($"chunks are at most {Chunk}", tooLong.Text("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.BadRequest, stale.Status);
        Assert.Contains("start_offset is 0", stale.Text("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, finishEarly.Status);
        Assert.Equal(HttpStatusCode.OK, last.Status);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Contains("more than the file_size", again.Text("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.FinishAsync(id)).Status);
        Assert.Equal(TestData.Md5Hex(data), (await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, id)).Md5);
    }

    [Fact]
    public async Task An_image_arrives_whole_as_source_and_a_video_there_is_refused()
    {
        var tenant = simulator.NewTenant();
        var api = new PreprTestClient(simulator, tenant);
        var image = TestData.Bytes(3000, seed: 34);

        var made = await api.UploadAsync("poster café #1.png", image, name: "Poster");
        var video = await api.UploadAsync("clip.mp4", image);
        var chunkToImage = await api.TransferAsync(made.Text("id"), image);

        Assert.Equal(HttpStatusCode.Created, made.Status);
        Assert.Equal("Photo", made.Text("label"));
        Assert.Equal(HttpStatusCode.BadRequest, video.Status);
        Assert.Contains("videos go in chunks", video.Text("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, chunkToImage.Status);
        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, made.Text("id"));
        Assert.Equal(TestData.Md5Hex(image), report.Md5);
        Assert.Equal("poster café #1.png", report.FileName);
    }

    [Fact]
    public async Task More_requests_than_the_minute_allows_get_429_without_retry_after_until_the_window_passes()
    {
        var tenant = simulator.NewTenant(s =>
        {
            s.PreprRateLimitPerMinute = 2;
            s.PreprRateLimitWindow = TimeSpan.FromSeconds(1);
        });
        var api = new PreprTestClient(simulator, tenant);
        var id = (await api.StartAsync(10)).Text("id");

        var second = await api.CallAsync(HttpMethod.Get, $"assets/{id}");
        var third = await api.CallAsync(HttpMethod.Get, $"assets/{id}");
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var later = await api.CallAsync(HttpMethod.Get, $"assets/{id}");

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal("0", second.Headers.GetValues("X-Prepr-RateLimit-Remaining").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.False(third.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, later.Status);
    }

    [Fact]
    public async Task Only_the_tenants_static_token_is_accepted_by_header_or_query()
    {
        var tenant = simulator.NewTenant();
        var api = new PreprTestClient(simulator, tenant);
        var id = (await api.StartAsync(10)).Text("id");

        var wrong = await VendorCall.SendAsync(HttpMethod.Get, new Uri(simulator.Instance.Prepr, $"assets/{id}"), headers: r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "nope"));
        var none = await VendorCall.SendAsync(HttpMethod.Get, new Uri(simulator.Instance.Prepr, $"assets/{id}"));
        var query = await VendorCall.SendAsync(HttpMethod.Get, new Uri(simulator.Instance.Prepr, $"assets/{id}?access_token={tenant.Credentials.Prepr.AccessToken}"));
        var otherTenant = await new PreprTestClient(simulator, simulator.NewTenant()).CallAsync(HttpMethod.Get, $"assets/{id}");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal(HttpStatusCode.OK, query.Status);
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.Status);
        Assert.DoesNotContain(await simulator.RequestsAsync(tenant), r => r.Path.Contains("access_token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_an_asset_removes_it_and_its_bytes()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        var api = new PreprTestClient(simulator, tenant);
        var data = TestData.Bytes(100, seed: 33);
        var id = (await api.StartAsync(data.Length)).Text("id");
        await api.TransferAsync(id, data);
        await api.FinishAsync(id);

        var deleted = await api.CallAsync(HttpMethod.Delete, $"assets/{id}");
        var afterwards = await api.CallAsync(HttpMethod.Get, $"assets/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, afterwards.Status);
        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, id);
        Assert.Equal("deleted", report.Status);
        Assert.Null(report.Md5);
    }
}
