using System.Text;
using System.Text.Json;
using FunctionsUploader.Functions;
using FunctionsUploader.Intake;
using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Tests.EndToEnd;
using FunctionsUploader.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Tests.Functions;

/// <summary>
/// The app's HTTP and blob-trigger functions, called as the Functions host calls them, with the real Durable client
/// of the engine that runs the app's orchestrations: start, status, cancel, purge, and duplicate blob events.
/// </summary>
public sealed class UploadsApiTests(JobWorld world) : IClassFixture<JobWorld>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-api-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_job_started_over_http_reports_its_status_and_result_and_its_history_can_be_purged()
    {
        await using var host = await world.HostAsync(_folder);
        var api = ActivatorUtilities.CreateInstance<UploadsApi>(host.Services);
        var data = TestData.Bytes((3 * 1024 * 1024) + 11, seed: 61);
        await host.Staging.Staging.GetBlobClient("clips/over http.mp4").UploadAsync(BinaryData.FromBytes(data), overwrite: true);

        var started = Json(await api.Start(Request("{\"source\":\"clips/over http.mp4\",\"vendors\":[\"mediavalet\"],\"title\":\"Over HTTP\"}"), host.App.Client, CancellationToken.None), 202);
        var jobId = started.GetProperty("jobs")[0].GetProperty("jobId").GetString()!;
        Assert.Equal("Started", started.GetProperty("jobs")[0].GetProperty("outcome").GetString());
        Assert.EndsWith($"/api/uploads/{Uri.EscapeDataString(jobId)}", started.GetProperty("jobs")[0].GetProperty("statusUri").GetString(), StringComparison.Ordinal);
        var (result, _) = await host.App.CompletionAsync(jobId);

        var status = Json(await api.Get(Request(), jobId, host.App.Client, CancellationToken.None), 200);
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
        Assert.Equal(UploadPhase.Completed, status.GetProperty("status").GetProperty("Phase").GetString());
        Assert.Equal(data.Length, status.GetProperty("status").GetProperty("BytesDone").GetInt64());
        Assert.Equal(result.VendorAssetId, status.GetProperty("result").GetProperty("VendorAssetId").GetString());
        Assert.Equal(TestData.Md5Hex(data), (await world.Sandbox.InspectAsync("mediavalet", result.VendorAssetId!)).Md5);
        Assert.DoesNotContain("sig=", status.GetRawText(), StringComparison.Ordinal);

        Assert.IsType<NoContentResult>(await api.Purge(Request(), jobId, host.App.Client, CancellationToken.None));
        Json(await api.Get(Request(), jobId, host.App.Client, CancellationToken.None), 404);
        Assert.Null(await host.App.Client.GetInstanceAsync(jobId));
    }

    [Fact]
    public async Task Cancel_over_http_mid_transfer_terminates_the_job_stops_its_chunks_and_moves_the_source_to_failed()
    {
        await using var host = await world.HostAsync(_folder, new Dictionary<string, string?> { ["Uploader:Workflow:CancelCheckInterval"] = "00:00:00.100" });
        var api = ActivatorUtilities.CreateInstance<UploadsApi>(host.Services);
        var data = TestData.Bytes(4 * JobWorld.PreprChunk, seed: 62);
        const string name = "pr/cancel over http.mp4";
        var job = Assert.Single(await host.DropAsync(name, data, "{\"vendors\":[\"prepr\"]}"));
        var transfersBefore = await TransfersAsync();

        // Prepr holds the second chunk for 30 s: the cancel comes while a copy batch is running.
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "transfer", Nth = 2, DelayMs = 30_000 });
        await host.App.Client.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.Upload, job, new Microsoft.DurableTask.StartOrchestrationOptions(job.JobId));
        while (await TransfersAsync() == transfersBefore)
        {
            await Task.Delay(20);
        }

        var cancelled = Json(await api.Cancel(Request(), job.JobId, host.App.Client, CancellationToken.None), 202);
        var ended = await host.App.Client.WaitForInstanceCompletionAsync(job.JobId, getInputsAndOutputs: false);
        await Task.Delay(500); // Long enough for a chunk a running batch had not stopped for to go out.

        Assert.True(cancelled.GetProperty("cancelled").GetBoolean());
        Assert.Equal($"{host.Staging.Failed.Name}/{name}", cancelled.GetProperty("archivedTo").GetString());
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, ended.RuntimeStatus);
        Assert.True(await TransfersAsync() - transfersBefore <= 2, "no chunk after the one in flight was sent");
        var prepared = await host.Services.GetRequiredService<FunctionsUploader.Activities.JobDocuments>().SessionAsync(job.JobId, CancellationToken.None);
        Assert.Equal("deleted", (await world.Sandbox.InspectAsync("prepr", prepared!.AssetId!)).Status);
        await using var kept = await host.Staging.Failed.GetBlobClient(name).OpenReadAsync(0, data.Length);
        Assert.Equal(TestData.Md5Hex(data), TestData.Md5Hex(await TestData.ReadAllAsync(kept)));
        Json(await api.Cancel(Request(), job.JobId, host.App.Client, CancellationToken.None), 409);
    }

    [Fact]
    public async Task One_blob_event_delivered_five_times_through_the_trigger_function_makes_one_instance_and_one_asset()
    {
        await using var host = await world.HostAsync(_folder);
        var trigger = ActivatorUtilities.CreateInstance<BlobStartFunctions>(host.Services, NullLogger<BlobStartFunctions>.Instance);
        var assetsBefore = (await world.Sandbox.AssetIdsAsync("mediavalet")).Count;
        var data = TestData.Bytes(3 * 1024 * 1024, seed: 63);
        const string name = "mv/five deliveries.mp4";
        await host.Staging.Staging.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(data), overwrite: true);
        var blob = new Azure.Storage.Blobs.BlobClient(world.Emulators.Local.BlobConnectionString, host.Staging.Staging.Name, name);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => trigger.OnBlobEvent(blob, name, host.App.Client, CancellationToken.None)));

        var instances = await host.App.Client.GetAllInstancesAsync(new OrchestrationQuery()).Where(i => i.Name == OrchestrationNames.Upload).ToListAsync();
        var instance = Assert.Single(instances);
        var (result, _) = await host.App.CompletionAsync(instance.InstanceId);
        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal(assetsBefore + 1, (await world.Sandbox.AssetIdsAsync("mediavalet")).Count);
        Assert.Equal(TestData.Md5Hex(data), (await world.Sandbox.InspectAsync("mediavalet", result.VendorAssetId!)).Md5);
    }

    [Fact]
    public async Task The_orchestrator_replays_more_often_than_it_calls_activities_and_the_job_still_ends_right()
    {
        await using var host = await world.HostAsync(_folder);
        var data = TestData.Bytes(1024 * 1024, seed: 64);
        var job = Assert.Single(await host.DropAsync("mv/replayed.mp4", data, "{\"vendors\":[\"mediavalet\"]}"));

        var result = await host.RunAsync(job);

        var activityCalls = UploadTasks.Activities.Select(UploadTasks.NameOf).Sum(n => host.Functions.Executions.GetValueOrDefault(n));
        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        // A file of one batch: prepare, copy, commit and everything after the commit in one activity (Deliver).
        Assert.Equal(
            [(ActivityNames.Deliver, 1)],
            UploadTasks.Activities.Select(UploadTasks.NameOf).Where(host.Functions.Executions.ContainsKey).Select(n => (n, host.Functions.Executions[n])));
        Assert.True(host.Functions.Executions[OrchestrationNames.Upload] > activityCalls, $"{host.Functions.Executions[OrchestrationNames.Upload]} orchestrator executions for {activityCalls} activity calls");
        Assert.Equal(TestData.Md5Hex(data), (await world.Sandbox.InspectAsync("mediavalet", result.VendorAssetId!)).Md5);
    }

    [Fact]
    public async Task The_status_function_shows_bytes_moving_during_a_batch_and_a_retried_batch_never_passes_the_file_size()
    {
        // One batch of 256 MiB: only the batch's own progress reports can move the figures before the commit.
        // (Figures may step back when a batch starts over; none may pass the file size.)
        const int size = 256 * 1024 * 1024;
        await using var host = await world.HostAsync(_folder, new Dictionary<string, string?>
        {
            ["Uploader:Workflow:BatchBytes"] = size.ToString(CultureInfo.InvariantCulture),
            ["Uploader:Workflow:ProgressInterval"] = "00:00:00.050",
        });
        var api = ActivatorUtilities.CreateInstance<UploadsApi>(host.Services);
        var data = TestData.Bytes(size, seed: 65);
        var job = Assert.Single(await host.DropAsync("pr/watched.mp4", data, "{\"vendors\":[\"prepr\"]}"));

        // The 40th chunk is cut off mid-body once: it is sent again, and must be counted once.
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "transfer", Nth = 40, DropConnection = true, DropAfterBytes = 1024 });
        await host.App.Client.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.Upload, job, new Microsoft.DurableTask.StartOrchestrationOptions(job.JobId));
        var seen = new List<long>();
        var listedBytes = new List<long>();
        var rates = 0;
        while (true)
        {
            var status = Json(await api.Get(Request(), job.JobId, host.App.Client, CancellationToken.None), 200);
            if (status.GetProperty("status").ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var phase = status.GetProperty("status").GetProperty("Phase").GetString();
            if (phase is UploadPhase.Preparing)
            {
                continue;
            }

            if (phase != UploadPhase.Transferring)
            {
                break;
            }

            var bytes = status.GetProperty("status").GetProperty("BytesDone").GetInt64();
            Assert.InRange(bytes, 0, size);
            seen.Add(bytes);

            // The job list shows the same live figures.
            var listed = Json(await api.List(Request(query: "vendor=prepr"), host.App.Client, CancellationToken.None), 200)
                .GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("jobId").GetString() == job.JobId).GetProperty("status");
            if (listed.ValueKind == JsonValueKind.Object && listed.GetProperty("Phase").GetString() == UploadPhase.Transferring)
            {
                listedBytes.Add(listed.GetProperty("BytesDone").GetInt64());
            }

            rates += status.GetProperty("status").GetProperty("BytesPerSecond").ValueKind == JsonValueKind.Number ? 1 : 0;
            await Task.Delay(50);
        }

        var (result, _) = await host.App.CompletionAsync(job.JobId);
        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal(TestData.Md5Hex(data), (await world.Sandbox.InspectAsync("prepr", result.VendorAssetId!)).Md5);
        var distinct = seen.Where(b => b > 0).Distinct().ToList();
        Assert.True(distinct.Count >= 5, $"bytesDone seen during the transfer: {string.Join(", ", seen)}");
        Assert.True(rates > 0, "a rate was shown while bytes moved");
        Assert.Equal(distinct.Order(), distinct);
        var listedMoving = listedBytes.Where(b => b is > 0 and < size).Distinct().ToList();
        Assert.True(listedMoving.Count >= 2, $"bytesDone seen through the job list: {string.Join(", ", listedBytes)}");
        Assert.All(listedBytes, b => Assert.InRange(b, 0, size));
    }

    [Fact]
    public async Task The_job_list_filters_by_status_vendor_and_time_and_pages_through_every_job()
    {
        await using var host = await world.HostAsync(_folder);
        var api = ActivatorUtilities.CreateInstance<UploadsApi>(host.Services);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var jobs = new List<UploadJob>();
        for (var n = 0; n < 32; n++)
        {
            // Every third job goes to Picovico, which takes only .mp4, .mov and .avi: mixed vendors and outcomes.
            var (vendor, name) = n % 3 == 0 ? ("picovico", $"pv/list {n}.txt") : ("mediavalet", $"mv/list {n}.mp4");
            jobs.Add(Assert.Single(await host.DropAsync(name, TestData.Bytes(64 * 1024, seed: n), $"{{\"vendors\":[\"{vendor}\"]}}")));
        }

        await Task.WhenAll(jobs.Select(j => host.App.Client.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.Upload, j, new Microsoft.DurableTask.StartOrchestrationOptions(j.JobId))));
        var results = await Task.WhenAll(jobs.Select(async j => (await host.App.CompletionAsync(j.JobId)).Result));
        var failed = results.Where(r => r.Outcome == UploadOutcome.Failed).Select(r => r.JobId).ToHashSet();
        Assert.Equal(11, failed.Count);

        var all = await ListAllAsync(api, host, "pageSize=7");
        Assert.Equal(jobs.Select(j => j.JobId).Order(), all.Select(j => j.GetProperty("jobId").GetString()).Order());
        Assert.All(all, j => Assert.Equal(failed.Contains(j.GetProperty("jobId").GetString()!) ? UploadOutcome.Failed : UploadOutcome.Completed, j.GetProperty("outcome").GetString()));

        var picovico = await ListAllAsync(api, host, "vendor=picovico&pageSize=5");
        Assert.Equal(11, picovico.Count);
        Assert.All(picovico, j => Assert.Equal("picovico", j.GetProperty("vendor").GetString()));

        var completed = await ListAllAsync(api, host, "runtimeStatus=Completed&vendor=mediavalet");
        Assert.Equal(21, completed.Count);
        Assert.Empty(await ListAllAsync(api, host, $"createdSince={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O", CultureInfo.InvariantCulture))}"));
        Assert.Equal(32, (await ListAllAsync(api, host, $"createdSince={Uri.EscapeDataString(before.ToString("O", CultureInfo.InvariantCulture))}")).Count);

        var refused = Json(await api.List(Request(query: "pageSize=0"), host.App.Client, CancellationToken.None), 400);
        Assert.Equal("pageSize: '0' is not a whole number from 1 to 200.", refused.GetProperty("error").GetString());
        var badStatus = Json(await api.List(Request(query: "runtimeStatus=Done"), host.App.Client, CancellationToken.None), 400);
        Assert.StartsWith("runtimeStatus: 'Done' is not one of ", badStatus.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> ListAllAsync(UploadsApi api, JobHost host, string query)
    {
        var jobs = new List<JsonElement>();
        string? token = null;
        for (var page = 0; page < 50; page++)
        {
            var answer = Json(await api.List(Request(query: token is null ? query : $"{query}&continuationToken={Uri.EscapeDataString(token)}"), host.App.Client, CancellationToken.None), 200);
            jobs.AddRange(answer.GetProperty("jobs").EnumerateArray());
            token = answer.GetProperty("continuationToken").GetString();
            if (token is null)
            {
                return jobs;
            }
        }

        throw new InvalidOperationException("The list never ended.");
    }

    private static HttpRequest Request(string? body = null, string? query = null)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query is null ? string.Empty : "?" + query);
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("uploader.example");
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? string.Empty));
        return context.Request;
    }

    /// <summary>The result's status code and its body as JSON, as the host would write it.</summary>
    private static JsonElement Json(IActionResult result, int expectedStatus)
    {
        var objectResult = Assert.IsAssignableFrom<ObjectResult>(result);
        Assert.Equal(expectedStatus, objectResult.StatusCode ?? 200);
        return JsonSerializer.SerializeToElement(objectResult.Value);
    }

    private async Task<int> TransfersAsync() =>
        (await world.Sandbox.RequestsAsync()).Count(r => r.Vendor == SimulatedVendor.Prepr && r.Operation == "transfer");
}
