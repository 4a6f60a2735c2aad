using FunctionsUploader.Activities;
using Microsoft.Extensions.DependencyInjection;
using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.EndToEnd;

/// <summary>
/// Once the vendor holds every byte, nothing ambiguous undoes it: for every vendor, processing that never confirms
/// or a step the vendor refuses after the commit ends the job Completed, with a warning, the asset intact and the
/// source in processed/. (Each test clears its fault rules: they belong to the class's one sandbox tenant.)
/// </summary>
public sealed class DeliveredUploadTests(JobWorld world) : IClassFixture<JobWorld>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-delivered-").FullName;

    public static TheoryData<string, string, FaultRule> Refusals => new()
    {
        { "mediavalet", "SetStatus", new FaultRule { Vendor = SimulatedVendor.MediaValet, Operation = "finalizeUpload", Status = 400, Times = 0 } },
        { "prepr", "SetMetadata", new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "updateAsset", Status = 422, Times = 0 } },
        { "picovico", "the processing check", new FaultRule { Vendor = SimulatedVendor.Picovico, Operation = "getVideoclip", Status = 500, Times = 0 } },
        { "panopto", "the processing check", new FaultRule { Vendor = SimulatedVendor.Panopto, Operation = "getSessionUpload", Nth = 2, Status = 503, Times = 0 } },
    };

    public static TheoryData<string, string> Stalls => new()
    {
        { "prepr", "finish" },
        { "picovico", "completeUpload" },
        { "panopto", "updateSessionUpload" },
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await world.Sandbox.ClearFaultsAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_step_refused_after_the_commit_completes_with_a_warning_and_keeps_the_asset(string vendor, string refusedStep, FaultRule rule)
    {
        await world.Sandbox.AddFaultAsync(rule);

        var (result, data) = await RunAsync(vendor, $"refused {vendor}.mp4", "00:00:01");

        Assert.Contains(result.Warnings, w => w.Contains(refusedStep, StringComparison.Ordinal) || w.Contains("processing not confirmed", StringComparison.Ordinal));
        await AssertDeliveredAsync(vendor, result, data);
    }

    [Theory]
    [MemberData(nameof(Stalls))]
    public async Task Processing_that_never_confirms_completes_with_a_warning_and_keeps_the_asset(string vendor, string operation)
    {
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = Enum.Parse<SimulatedVendor>(vendor, ignoreCase: true), Operation = operation, StallProcessing = true });

        var (result, data) = await RunAsync(vendor, $"stalled {vendor}.mp4", "00:00:00.500");

        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith("Delivered; processing not confirmed after 00:00:00.5000000", warning, StringComparison.Ordinal);
        await AssertDeliveredAsync(vendor, result, data);
    }

    [Fact]
    public async Task A_finishing_step_that_keeps_failing_inside_Deliver_is_retried_in_its_own_activity_and_applied()
    {
        // Four 503s outlast the connector's own attempts inside Deliver (1 + 3 retries); the SetStatus activity gets through.
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.MediaValet, Operation = "finalizeUpload", Status = 503, Times = 4 });
        var finalizesBefore = (await world.Sandbox.RequestsAsync()).Count(r => r.Operation == "finalizeUpload");
        await using var host = await world.HostAsync(_folder);
        var data = TestData.Bytes((1024 * 1024) + 5, seed: 71); // one batch: Deliver runs the steps after the commit
        var job = Assert.Single(await host.DropAsync("dam/finalized late.mp4", data, "{\"vendors\":[\"mediavalet\"],\"title\":\"Late\"}"));

        var result = await host.RunAsync(job);

        Assert.True(result.Outcome == UploadOutcome.Completed, result.Failure?.Reason);
        Assert.Empty(result.Warnings);
        Assert.Equal($"{host.Staging.Processed.Name}/dam/finalized late.mp4", result.ArchivedTo);
        var finalizes = (await world.Sandbox.RequestsAsync()).Where(r => r.Operation == "finalizeUpload").Skip(finalizesBefore).Select(r => r.Status).ToList();
        Assert.Equal([503, 503, 503, 503], finalizes[..4]);
        Assert.InRange(Assert.Single(finalizes.Skip(4)), 200, 299);
        foreach (var (step, calls) in new[] { (ActivityNames.Deliver, 1), (ActivityNames.Finish, 0), (ActivityNames.SetMetadata, 0), (ActivityNames.SetCategories, 0), (ActivityNames.SetStatus, 1), (ActivityNames.CheckProcessing, 1), (ActivityNames.Archive, 1) })
        {
            Assert.True(host.Functions.Executions.GetValueOrDefault(step) == calls, $"{step} ran {host.Functions.Executions.GetValueOrDefault(step)} times, not {calls}");
        }

        await AssertDeliveredAsync("mediavalet", result, data);
    }

    [Fact]
    public async Task A_copy_that_fails_inside_Deliver_runs_again_as_its_own_batch_and_the_bytes_arrive_once()
    {
        // Four 503s on the first chunk outlast the transfer's own attempts inside Deliver (1 + 3 retries).
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "transfer", Status = 503, Times = 4 });
        await using var host = await world.HostAsync(_folder);
        var data = TestData.Bytes((2 * JobWorld.PreprChunk) - 11, seed: 74); // two chunks, one batch
        var job = Assert.Single(await host.DropAsync("dam/copied late.mp4", data, "{\"vendors\":[\"prepr\"]}"));

        var result = await host.RunAsync(job);

        Assert.True(result.Outcome == UploadOutcome.Completed, result.Failure?.Reason);
        foreach (var (step, calls) in new[] { (ActivityNames.Deliver, 1), (ActivityNames.CopyBatch, 1), (ActivityNames.Commit, 0), (ActivityNames.Finish, 1) })
        {
            Assert.True(host.Functions.Executions.GetValueOrDefault(step) == calls, $"{step} ran {host.Functions.Executions.GetValueOrDefault(step)} times, not {calls}");
        }

        var asset = await world.Sandbox.InspectAsync("prepr", result.VendorAssetId!);
        Assert.Equal((TestData.Md5Hex(data), (long?)data.Length), (asset.Md5, asset.Size));
    }

    [Fact]
    public async Task The_only_batch_commits_once_copied_and_an_attempt_run_again_neither_copies_nor_commits_a_second_time()
    {
        await using var host = await world.HostAsync(_folder);
        var data = TestData.Bytes((2 * JobWorld.PreprChunk) - 9, seed: 72); // two chunks, one batch (the world batches 2 MiB)
        var job = Assert.Single(await host.DropAsync("dam/one batch.mp4", data, "{\"vendors\":[\"prepr\"]}"));
        Assert.Equal(1, (await host.Services.GetRequiredService<PrepareActivity>().RunAsync(job, CancellationToken.None)).BatchCount);
        var copy = host.Services.GetRequiredService<CopyBatchActivity>();
        var request = new CopyBatchRequest(job, 0) { ThenCommit = true };

        var first = await copy.RunAsync(request, CancellationToken.None);
        var requestsBefore = (await world.Sandbox.RequestsAsync()).Count;
        // As after a crash between the commit and the engine recording the activity's result.
        var again = await copy.RunAsync(request, CancellationToken.None);

        var committed = Assert.IsType<Committed>(first.Committed);
        Assert.Equal(TestData.Md5Hex(data), (await world.Sandbox.InspectAsync("prepr", committed.VendorAssetId)).Md5);
        Assert.Equal((first.Parts, data.Length), (again.Parts, again.Bytes));
        Assert.Null(again.Committed);
        Assert.Equal(requestsBefore, (await world.Sandbox.RequestsAsync()).Count);
    }

    [Fact]
    public async Task A_batch_delivered_twice_at_once_to_an_appending_vendor_sends_each_chunk_once_and_the_bytes_stay_right()
    {
        await using var host = await world.HostAsync(_folder);
        var data = TestData.Bytes((2 * JobWorld.PreprChunk) - 3, seed: 73); // two chunks, one batch
        var job = Assert.Single(await host.DropAsync("dam/delivered twice.mp4", data, "{\"vendors\":[\"prepr\"]}"));
        await host.Services.GetRequiredService<PrepareActivity>().RunAsync(job, CancellationToken.None);
        var copy = host.Services.GetRequiredService<CopyBatchActivity>();
        var transfersBefore = (await world.Sandbox.RequestsAsync()).Count(r => r.Operation == "transfer");

        // The engine delivers activities at least once: after a kill, the same batch can run twice side by side.
        var copies = await Task.WhenAll(copy.RunAsync(new CopyBatchRequest(job, 0), CancellationToken.None), copy.RunAsync(new CopyBatchRequest(job, 0), CancellationToken.None));
        var committed = await host.Services.GetRequiredService<CommitActivity>().RunAsync(job, CancellationToken.None);

        Assert.All(copies, c => Assert.Equal(data.Length, c.Bytes));
        Assert.Equal(2, (await world.Sandbox.RequestsAsync()).Count(r => r.Operation == "transfer") - transfersBefore);
        var asset = await world.Sandbox.InspectAsync("prepr", committed.VendorAssetId);
        Assert.Equal(TestData.Md5Hex(data), asset.Md5);
        Assert.Equal(data.Length, asset.Size);
    }

    private async Task<(UploadResult Result, byte[] Data)> RunAsync(string vendor, string name, string processingTimeout)
    {
        await using var host = await world.HostAsync(_folder, new Dictionary<string, string?> { ["Uploader:Workflow:ProcessingTimeout"] = processingTimeout });
        var data = TestData.Bytes((6 * 1024 * 1024) + 17, seed: name.Length);
        var job = Assert.Single(await host.DropAsync($"dam/{name}", data, $"{{\"vendors\":[\"{vendor}\"],\"title\":\"Delivered\",\"description\":\"d\"}}"));
        var result = await host.RunAsync(job);
        Assert.True(result.Outcome == UploadOutcome.Completed, $"{vendor}: {result.Failure}");
        Assert.Equal($"{host.Staging.Processed.Name}/dam/{name}", result.ArchivedTo);
        return (result, data);
    }

    private async Task AssertDeliveredAsync(string vendor, UploadResult result, byte[] data)
    {
        var asset = await world.Sandbox.InspectAsync(vendor, result.VendorAssetId!);
        Assert.Equal(TestData.Md5Hex(data), asset.Md5);
        Assert.NotEqual("deleted", asset.Status);
        Assert.DoesNotContain(await world.Sandbox.RequestsAsync(), r => r.Operation is "deleteAsset" or "deleteUpload" or "deleteSessionUpload" or "cancelUpload");
    }
}
