using FunctionsUploader.Activities;
using FunctionsUploader.Functions;
using FunctionsUploader.Intake;
using FunctionsUploader.Simulators;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsUploader.Tests.EndToEnd;

/// <summary>
/// Many files dropped at once, each for three vendors: the jobs run side by side on one app, sign in to each vendor
/// once between them, and keep within the vendor's rate limits together, not each on its own.
/// </summary>
public sealed class ManyDropsTests(JobWorld world) : IClassFixture<JobWorld>, IDisposable
{
    private const int Files = 6;
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-drops-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Jobs_dropped_at_once_share_one_sign_in_per_vendor_and_every_file_arrives_whole()
    {
        await using var host = await world.HostAsync(_folder);
        var drops = Enumerable.Range(1, Files).Select(i => (Name: $"drops/clip {i}.mp4", Data: TestData.Bytes((2 * 1024 * 1024) + i, seed: 80 + i))).ToList();
        foreach (var (name, data) in drops)
        {
            Assert.Equal(3, (await host.DropAsync(name, data, """{"vendors":["mediavalet","picovico","prepr"]}""")).Count);
        }

        var starter = new UploadStarter(host.Intake, new DurableStarter(host.App.Client), host.Services.GetRequiredService<ArchiveActivity>());
        // Every blob-created event at once, as Event Grid delivers a folder's worth of drops.
        var started = (await Task.WhenAll(drops.Select(d => starter.FromBlobEventAsync(d.Name)))).SelectMany(s => s).ToList();
        Assert.Equal(Files * 3, started.Count);
        var results = await Task.WhenAll(started.Select(async s => (await host.App.CompletionAsync(s.JobId!)).Result));

        Assert.All(results, r => Assert.True(r.Outcome == UploadOutcome.Completed, $"{r.JobId}: {r.Outcome} {r.Failure?.Reason}"));
        foreach (var result in results)
        {
            var source = drops.Single(d => d.Data.Length == result.Bytes); // every file has a size of its own
            Assert.Equal(TestData.Md5Hex(source.Data), (await world.Sandbox.InspectAsync(result.Vendor, result.VendorAssetId!)).Md5);
        }

        var requests = await world.Sandbox.RequestsAsync();
        Assert.Equal(1, requests.Count(r => r.Vendor == SimulatedVendor.MediaValet && r.Operation == "token"));
        Assert.Equal(1, requests.Count(r => r.Vendor == SimulatedVendor.Picovico && r.Operation == "login"));
        // Prepr allows so many requests a second per account: the jobs' requests stay under it together.
        Assert.DoesNotContain(requests, r => r.Status == 429);
        Assert.True(requests.Count(r => r.Vendor == SimulatedVendor.Prepr) >= Files * 3, "every Prepr job made its requests");
    }
}
