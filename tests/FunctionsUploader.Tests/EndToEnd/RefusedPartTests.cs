using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.EndToEnd;

/// <summary>A part the vendor refuses for good fails the batch once; the orchestration does not rerun it.</summary>
public sealed class RefusedPartTests(JobWorld world) : IClassFixture<JobWorld>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-refused-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_part_the_vendor_refuses_for_good_fails_the_job_without_resending_the_batch()
    {
        await using var host = await world.HostAsync(_folder);
        var data = TestData.Bytes(3 * JobWorld.PreprChunk, seed: 42);
        const string name = "pr/refused.mp4";
        var job = Assert.Single(await host.DropAsync(name, data, "{\"vendors\":[\"prepr\"]}"));
        var transfersBefore = await TransfersAsync();
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "transfer", Times = 0, Status = 400 });

        var result = await host.RunAsync(job);

        Assert.Equal(UploadOutcome.Failed, result.Outcome);
        Assert.Equal(ActivityNames.CopyBatch, result.Failure!.Step);
        Assert.True(result.Failure.Permanent);
        Assert.Equal(1, await TransfersAsync() - transfersBefore); // one chunk, one attempt: no batch rerun
    }

    private async Task<int> TransfersAsync() =>
        (await world.Sandbox.RequestsAsync()).Count(r => r.Vendor == SimulatedVendor.Prepr && r.Operation == "transfer");
}
