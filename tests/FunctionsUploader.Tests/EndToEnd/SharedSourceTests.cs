using System.Text.Json;
using FunctionsUploader.Activities;
using FunctionsUploader.Intake;
using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Workflow;
using FunctionsUploader.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsUploader.Tests.EndToEnd;

/// <summary>One drop for several vendors: jobs that share a source run side by side, and the source moves once, after the last.</summary>
public sealed class SharedSourceTests(JobWorld world) : IClassFixture<JobWorld>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-shared-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Every_vendor_gets_the_whole_file_and_the_source_moves_to_processed_once_all_are_done()
    {
        await using var host = await world.HostAsync(_folder);
        var data = TestData.Bytes(6 * 1024 * 1024, seed: 45);
        const string name = "both/talk.mp4";

        var results = await RunAsync(host, name, data);

        Assert.All(results, r => Assert.Equal(UploadOutcome.Completed, r.Outcome));
        foreach (var result in results)
        {
            Assert.Equal(TestData.Md5Hex(data), (await world.Sandbox.InspectAsync(result.Vendor, result.VendorAssetId!)).Md5);
        }

        Assert.Contains($"{host.Staging.Processed.Name}/{name}", results.Select(r => r.ArchivedTo));
        Assert.False(await host.Staging.Staging.GetBlobClient(name).ExistsAsync());
        Assert.True(await host.Staging.Processed.GetBlobClient(name).ExistsAsync());
    }

    [Fact]
    public async Task When_one_vendor_fails_the_others_still_finish_and_the_source_goes_to_failed_with_every_outcome()
    {
        await using var host = await world.HostAsync(_folder);
        var data = TestData.Bytes(6 * 1024 * 1024, seed: 46);
        const string name = "both/refused by prepr.mp4";
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "createAsset", Status = 400 });

        var results = await RunAsync(host, name, data);

        var mediaValet = Assert.Single(results, r => r.Vendor == "mediavalet");
        var prepr = Assert.Single(results, r => r.Vendor == "prepr");
        Assert.Equal(UploadOutcome.Completed, mediaValet.Outcome);
        Assert.Equal(TestData.Md5Hex(data), (await world.Sandbox.InspectAsync("mediavalet", mediaValet.VendorAssetId!)).Md5);
        Assert.Equal(UploadOutcome.Failed, prepr.Outcome);
        Assert.Contains($"{host.Staging.Failed.Name}/{name}", results.Select(r => r.ArchivedTo));
        var report = host.Staging.Failed.GetBlobClient(name + BlobNames.ErrorReportSuffix);
        await using var text = (await report.DownloadStreamingAsync()).Value.Content;
        using var json = JsonDocument.Parse(await TestData.ReadAllAsync(text));
        Assert.Equal("prepr", json.RootElement.GetProperty("vendor").GetString());
        var outcomes = json.RootElement.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("vendor").GetString()!, j => j.GetProperty("outcome").GetString());
        Assert.Equal(UploadOutcome.Completed, outcomes["mediavalet"]);
        Assert.Equal(UploadOutcome.Failed, outcomes["prepr"]);
        await using var kept = await host.Staging.Failed.GetBlobClient(name).OpenReadAsync(0, data.Length);
        Assert.Equal(TestData.Md5Hex(data), TestData.Md5Hex(await TestData.ReadAllAsync(kept)));
    }

    private static async Task<UploadResult[]> RunAsync(JobHost host, string name, byte[] data)
    {
        Assert.Equal(2, (await host.DropAsync(name, data, "{\"vendors\":[\"mediavalet\",\"prepr\"],\"title\":\"Shared\"}")).Count);
        var durable = new DurableStarter(host.App.Client);
        var starter = new UploadStarter(host.Intake, durable, host.Services.GetRequiredService<ArchiveActivity>());

        var started = await starter.FromBlobEventAsync(name);

        Assert.Equal(2, started.Count);
        return await Task.WhenAll(started.Select(async s => (await host.App.CompletionAsync(s.JobId!)).Result));
    }
}
