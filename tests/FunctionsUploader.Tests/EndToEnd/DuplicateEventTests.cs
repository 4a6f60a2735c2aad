using FunctionsUploader.Activities;
using FunctionsUploader.Intake;
using FunctionsUploader.Workflow;
using FunctionsUploader.Workflow.InProcess;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsUploader.Tests.EndToEnd;

public sealed class DuplicateEventTests(JobWorld world) : IClassFixture<JobWorld>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-dup-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_same_blob_event_five_times_starts_one_job_and_makes_one_vendor_asset()
    {
        using var host = await world.HostAsync(_folder);
        var assetsBefore = (await world.Sandbox.AssetIdsAsync("mediavalet")).Count;
        var data = TestData.Bytes(3 * 1024 * 1024, seed: 5);
        await host.Staging.Staging.GetBlobClient("mv/five times.mp4").UploadAsync(BinaryData.FromBytes(data), overwrite: true);
        var inProcess = new InProcessStarter(host.Runner);
        var starter = new UploadStarter(host.Intake, inProcess, host.Services.GetRequiredService<ArchiveActivity>());

        var deliveries = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => starter.FromBlobEventAsync("mv/five times.mp4")));
        var started = deliveries.SelectMany(d => d).ToList();
        var result = await inProcess.CompletionAsync(started.Single(s => s.Outcome == StartOutcome.Started).JobId!);
        var late = await starter.FromBlobEventAsync("mv/five times.mp4");

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal(4, started.Count(s => s.Outcome == StartOutcome.AlreadyExists));
        Assert.Empty(late); // The job moved the file to processed/: a later delivery finds nothing to do.
        var assets = await world.Sandbox.AssetIdsAsync("mediavalet");
        Assert.Equal(assetsBefore + 1, assets.Count);
        Assert.Contains(result.VendorAssetId, assets);
        Assert.Equal(TestData.Md5Hex(data), (await world.Sandbox.InspectAsync("mediavalet", result.VendorAssetId!)).Md5);
    }
}
