using System.Text.Json;
using FunctionsUploader.Cli;
using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Tests.EndToEnd;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.Cli;

/// <summary>A local file, with no staging account configured: the CLI's everyday case, on the engine.</summary>
public sealed class LocalFileJobTests(JobWorld world) : IClassFixture<JobWorld>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-local-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_failed_upload_of_a_local_file_ends_with_its_reason_and_exit_1_and_leaves_the_file()
    {
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "transfer", Times = 0, Status = 400 });
        var file = Path.Combine(_folder, "talk.mp4");
        await File.WriteAllBytesAsync(file, TestData.Bytes(3 * JobWorld.PreprChunk, seed: 7));
        var settings = world.Settings(_folder);
        settings.Remove("Uploader:Staging:ConnectionString");
        var config = Path.Combine(_folder, "uploader.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(settings));
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await UploaderCli.RunAsync(["upload", file, "--vendor", "prepr", "--json", "--config", config], output, errors);

        Assert.True(exit == UploaderCli.JobFailed, $"exit {exit}: {errors}{output}");
        var result = JsonSerializer.Deserialize<UploadResult>(output.ToString(), WorkflowJson.Options)!;
        Assert.Equal(UploadOutcome.Failed, result.Outcome);
        Assert.Equal(ActivityNames.CopyBatch, result.Failure!.Step);
        Assert.Contains("400", result.Failure.Reason, StringComparison.Ordinal);
        Assert.Null(result.ArchivedTo);
        Assert.DoesNotContain("   at ", errors.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(file));

        // The half-done asset was removed at the vendor (compensation), so nothing is left behind there.
        var requests = await world.Sandbox.RequestsAsync();
        Assert.Contains(requests, r => r.Operation == "deleteAsset" && r.Status is >= 200 and < 300);
    }
}
