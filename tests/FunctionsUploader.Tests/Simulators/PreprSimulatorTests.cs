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
    public async Task Chunks_sent_at_the_offsets_the_server_gives_then_finish_store_the_video_and_encoding_completes()
    {
        // 5 MiB chunks: larger than the simulator's 4 MiB staging piece, so a chunk spans several blocks.
        const int chunk = 5 * 1024 * 1024;
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = chunk);
        var api = new PreprTestClient(simulator, tenant);
        var data = TestData.Bytes(2 * chunk + 18_928, seed: 31);

        var started = await api.StartAsync(data.Length, new { name = "Launch", reference_id = "job-1" });
        var id = started.Text("id");
        var range = started.Body.GetProperty("source_file");
        var transfers = 0;
        while (range.GetProperty("start_offset").GetInt64() < range.GetProperty("end_offset").GetInt64())
        {
            var (start, end) = (range.GetProperty("start_offset").GetInt64(), range.GetProperty("end_offset").GetInt64());
            var answer = await api.TransferAsync(id, data.AsMemory((int)start, (int)(end - start)));
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            range = answer.Body.GetProperty("source_file");
            transfers++;
        }

        var finished = await api.FinishAsync(id);
        var firstPoll = await api.CallAsync(HttpMethod.Get, $"assets/{id}");
        var secondPoll = await api.CallAsync(HttpMethod.Get, $"assets/{id}");
        var updated = await api.CallAsync(HttpMethod.Put, $"assets/{id}", new { body = "Description", tags = new { items = new[] { new { body = "launch" } } }, collections = new { items = new[] { new { id = "col-1" } } } });

        Assert.Equal(HttpStatusCode.Created, started.Status);
        Assert.Equal(3, started.Body.GetProperty("source_file").GetProperty("chunks").GetInt32());
        Assert.Equal(3, transfers);
        Assert.Equal("encoding", finished.Text("status"));
        Assert.Equal("encoding", firstPoll.Text("status"));
        Assert.Equal("ready", secondPoll.Text("status"));
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("800", secondPoll.Headers.GetValues("X-Prepr-RateLimit-Limit").Single());
        Assert.True(int.Parse(secondPoll.Headers.GetValues("X-Prepr-RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture) < 800);
        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, id);
        Assert.Equal("ready", report.Status);
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
    public async Task A_chunk_of_the_wrong_size_or_at_the_wrong_offset_is_refused_and_the_offset_stays()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        var api = new PreprTestClient(simulator, tenant);
        var data = TestData.Bytes(Chunk + 100, seed: 32);
        var id = (await api.StartAsync(data.Length)).Text("id");

        var tooShort = await api.TransferAsync(id, data.AsMemory(0, Chunk - 1));
        var tooLong = await api.TransferAsync(id, data.AsMemory(0, Chunk + 100));
        var first = await api.TransferAsync(id, data.AsMemory(0, Chunk), startOffset: 0);
        var stale = await api.TransferAsync(id, data.AsMemory(Chunk, 100), startOffset: 0);
        var finishEarly = await api.FinishAsync(id);
        var last = await api.TransferAsync(id, data.AsMemory(Chunk, 100), startOffset: Chunk);
        var extra = await api.TransferAsync(id, data.AsMemory(0, 1));

        Assert.Equal(HttpStatusCode.BadRequest, tooShort.Status);
        Assert.Contains($"file_chunk has {Chunk - 1} bytes", tooShort.Text("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Contains($"file_chunk has {Chunk + 100} bytes", tooLong.Text("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.BadRequest, stale.Status);
        Assert.Contains("start_offset is 0", stale.Text("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, finishEarly.Status);
        Assert.Equal(HttpStatusCode.OK, last.Status);
        Assert.Equal(HttpStatusCode.BadRequest, extra.Status);
        Assert.Equal(HttpStatusCode.OK, (await api.FinishAsync(id)).Status);
        Assert.Equal(TestData.Md5Hex(data), (await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, id)).Md5);
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
