using System.Diagnostics;
using System.Text;
using FunctionsUploader.Activities;
using FunctionsUploader.Intake;
using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsUploader.Tests.EndToEnd;

/// <summary>
/// Cancellation's edges (the whole cancel through the HTTP function is in UploadsApiTests): a vendor cleanup that
/// fails, a cancel that lands while the upload is being opened, and one that lands while Deliver commits.
/// </summary>
public sealed class CancelTests(JobWorld world) : IClassFixture<JobWorld>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-cancel-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_cancel_whose_vendor_cleanup_fails_still_moves_the_source_to_failed_and_says_what_is_left()
    {
        await using var host = await world.HostAsync(_folder);
        const string name = "pr/cleanup fails.mp4";
        var job = await DropChunkAsync(host, name, seed: 43);
        var prepared = await host.Services.GetRequiredService<PrepareActivity>().RunAsync(job, CancellationToken.None);
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "deleteAsset", Status = 400 });

        var archived = await host.Services.GetRequiredService<JobCancellation>().CancelAsync(job, "Cancelled by an API request.");

        Assert.Equal($"{host.Staging.Failed.Name}/{name}", archived.Destination);
        Assert.False(await host.Staging.Staging.GetBlobClient(name).ExistsAsync());
        var report = host.Staging.Failed.GetBlobClient(name + BlobNames.ErrorReportSuffix);
        await using var text = (await report.DownloadStreamingAsync()).Value.Content;
        var json = Encoding.UTF8.GetString(await TestData.ReadAllAsync(text));
        Assert.Contains("Cancelled by an API request. (cleanup at the vendor also failed: ", json, StringComparison.Ordinal);
        Assert.NotEqual("deleted", (await world.Sandbox.InspectAsync("prepr", prepared.VendorAssetId!)).Status);
    }

    [Fact]
    public async Task A_cancel_that_comes_while_the_upload_opens_leaves_nothing_open_at_the_vendor()
    {
        await using var host = await world.HostAsync(_folder);
        var job = await DropChunkAsync(host, "pr/cancel while opening.mp4", seed: 47);
        var assetsBefore = await world.Sandbox.AssetIdsAsync("prepr");

        // Prepr takes 1.5 s to open the asset; the cancel lands meanwhile, before or after the request goes out.
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "createAsset", DelayMs = 1500 });
        var preparing = host.Services.GetRequiredService<PrepareActivity>().RunAsync(job, CancellationToken.None);
        await Task.Delay(300);
        await host.Services.GetRequiredService<JobCancellation>().CancelAsync(job, "Cancelled by an API request.");
        var refused = await Assert.ThrowsAsync<PermanentFailureException>(() => preparing);

        Assert.Contains("was cancelled (Cancelled by an API request.); the opening at the vendor stopped", refused.Message, StringComparison.Ordinal);
        foreach (var asset in (await world.Sandbox.AssetIdsAsync("prepr")).Except(assetsBefore))
        {
            Assert.Equal("deleted", (await world.Sandbox.InspectAsync("prepr", asset)).Status);
        }

        await Assert.ThrowsAsync<PermanentFailureException>(() => host.Services.GetRequiredService<CommitActivity>().RunAsync(job, CancellationToken.None));
    }

    [Fact]
    public async Task A_cancel_that_comes_while_Deliver_commits_leaves_the_steps_after_the_commit_to_the_cancellation()
    {
        await using var host = await world.HostAsync(_folder);
        const string name = "pr/cancel while committing.mp4";
        var job = await DropChunkAsync(host, name, seed: 49, title: "Never set");
        var transfersBefore = (await world.Sandbox.RequestsAsync()).Count(r => r.Operation == "transfer");

        // Prepr's finish (the commit) takes 3 s; the cancel comes half a second after the only chunk is answered.
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "finish", DelayMs = 3000 });
        var delivering = host.Services.GetRequiredService<DeliverActivity>().RunAsync(job, CancellationToken.None);
        var guard = Stopwatch.StartNew(); // against a hung job, not a timing assertion
        while ((await world.Sandbox.RequestsAsync()).Count(r => r.Operation == "transfer") == transfersBefore && guard.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(20);
        }

        // A cancel marks the job first, then cleans up at the vendor: here the mark lands while the commit is at Prepr.
        await Task.Delay(500);
        await host.Services.GetRequiredService<JobDocuments>().MarkCancelledAsync(job.JobId, "Cancelled by an API request.", CancellationToken.None);
        var delivered = await delivering;
        var archived = await host.Services.GetRequiredService<JobCancellation>().CancelAsync(job, "Cancelled by an API request.");

        Assert.NotNull(delivered.Copied?.Committed);
        Assert.Null(delivered.Finished);
        Assert.Equal($"{host.Staging.Failed.Name}/{name}", archived.Destination);
        Assert.DoesNotContain(await world.Sandbox.RequestsAsync(), r => r.Operation == "updateAsset" && r.ResourceId == delivered.VendorAssetId);
        Assert.False(await host.Staging.Processed.GetBlobClient(name).ExistsAsync());
    }

    /// <summary>A file of one Prepr chunk dropped for Prepr (with a title for the metadata step, when given): its job.</summary>
    private static async Task<UploadJob> DropChunkAsync(JobHost host, string name, int seed, string? title = null) =>
        Assert.Single(await host.DropAsync(name, TestData.Bytes(JobWorld.PreprChunk, seed), title is null ? "{\"vendors\":[\"prepr\"]}" : $"{{\"vendors\":[\"prepr\"],\"title\":\"{title}\"}}"));
}
