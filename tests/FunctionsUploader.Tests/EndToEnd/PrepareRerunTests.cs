using FunctionsUploader.Activities;
using FunctionsUploader.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsUploader.Tests.EndToEnd;

/// <summary>Prepare run again after a crash opens nothing new at the vendor, wherever the first run stopped.</summary>
public sealed class PrepareRerunTests(JobWorld world) : IClassFixture<JobWorld>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-prepare-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("prepr")]
    [InlineData("mediavalet")]
    public async Task A_prepare_that_stopped_after_opening_the_upload_goes_on_with_that_upload(string vendor)
    {
        await using var host = await world.HostAsync(_folder);
        var data = TestData.Bytes(3 * JobWorld.PreprChunk, seed: 44);
        var name = $"{vendor}/rerun.mp4";
        var job = Assert.Single(await host.DropAsync(name, data, $"{{\"vendors\":[\"{vendor}\"]}}"));
        var prepare = host.Services.GetRequiredService<PrepareActivity>();
        var first = await prepare.RunAsync(job, CancellationToken.None);
        var assets = await world.Sandbox.AssetIdsAsync(vendor);

        // The crash came after the session was stored and before the plan was: only the session document is left.
        var store = (FileJobStore)host.Services.GetRequiredService<IJobStore>();
        File.Delete(Path.Combine(store.Directory, job.JobId, "file.json"));
        var second = await prepare.RunAsync(job, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(assets, await world.Sandbox.AssetIdsAsync(vendor));
        var result = await host.RunAsync(job);
        Assert.Equal(first.VendorAssetId, result.VendorAssetId);
        Assert.Equal(TestData.Md5Hex(data), (await world.Sandbox.InspectAsync(vendor, result.VendorAssetId!)).Md5);
    }
}
