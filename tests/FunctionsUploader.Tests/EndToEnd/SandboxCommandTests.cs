using System.Text.Json;
using FunctionsUploader.Cli;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.EndToEnd;

/// <summary>The README's "run the main job" command, for every vendor: it starts its own world and verifies the result.</summary>
public sealed class SandboxCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-sandbox-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("mediavalet")]
    [InlineData("picovico")]
    [InlineData("prepr")]
    [InlineData("panopto")]
    public async Task Upload_with_sandbox_runs_the_whole_job_and_reports_matching_checksums(string vendor)
    {
        var file = Path.Combine(_folder, $"sandbox clip {vendor}.mp4");
        var data = TestData.Bytes((6 * 1024 * 1024) + 11, seed: vendor.Length);
        await File.WriteAllBytesAsync(file, data);
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await UploaderCli.RunAsync(["upload", file, "--vendor", vendor, "--sandbox", "--json", "--title", "Sandbox run"], output, errors);

        Assert.True(exit == UploaderCli.Done, $"exit {exit}: {errors}{output}");
        var result = JsonSerializer.Deserialize<UploadResult>(output.ToString(), WorkflowJson.Options)!;
        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal(vendor, result.Vendor);
        Assert.Equal(data.Length, result.Bytes);
        Assert.Equal(TestData.Md5Hex(data), result.SourceMd5);
        Assert.Equal(result.SourceMd5, result.DestinationMd5);
        Assert.NotNull(result.VendorAssetId);
        Assert.True(File.Exists(file));
        // Beside the result, what the job cost the engine, read from its history: one orchestration (no transfer
        // slices for a small file), run at its start and again for each activity's result (one, Deliver, when the
        // vendor has processed the file by then), holding every event.
        using var printed = JsonDocument.Parse(output.ToString());
        var engine = printed.RootElement.GetProperty("engine");
        Assert.Equal(1, engine.GetProperty("orchestrations").GetInt32());
        Assert.InRange(engine.GetProperty("orchestratorExecutions").GetInt32(), 2, 100);
        Assert.Equal(engine.GetProperty("historyEvents").GetInt32(), engine.GetProperty("mostHistoryEvents").GetInt32());
        Assert.True(engine.GetProperty("historyEvents").GetInt32() > 2 * engine.GetProperty("orchestratorExecutions").GetInt32(), printed.RootElement.ToString());
    }

    [Fact]
    public async Task Upload_of_several_files_runs_a_job_for_each_and_verifies_every_one()
    {
        var files = Enumerable.Range(1, 4).Select(i => (Path: Path.Combine(_folder, $"clip {i}.mp4"), Data: TestData.Bytes((3 * 1024 * 1024) + i, seed: 70 + i))).ToList();
        foreach (var (path, data) in files)
        {
            await File.WriteAllBytesAsync(path, data);
        }

        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await UploaderCli.RunAsync(["upload", .. files.Select(f => f.Path), "--vendor", "picovico", "--sandbox", "--json"], output, errors);

        Assert.True(exit == UploaderCli.Done, $"exit {exit}: {errors}{output}");
        var results = JsonSerializer.Deserialize<UploadResult[]>(output.ToString(), WorkflowJson.Options)!;
        Assert.Equal(files.Count, results.Length);
        foreach (var ((_, data), result) in files.Zip(results))
        {
            Assert.Equal(UploadOutcome.Completed, result.Outcome);
            Assert.Equal(data.Length, result.Bytes);
            Assert.Equal(TestData.Md5Hex(data), result.SourceMd5);
            Assert.Equal(result.SourceMd5, result.DestinationMd5);
        }

        Assert.Equal(files.Count, results.Select(r => r.VendorAssetId).Distinct().Count());
    }
}
