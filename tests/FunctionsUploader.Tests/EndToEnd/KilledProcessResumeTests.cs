using System.Diagnostics;
using System.Text.Json;
using FunctionsUploader.Cli;
using FunctionsUploader.Cli.Engine;
using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Tests.Cli;
using FunctionsUploader.Workflow;
using Xunit.Abstractions;

namespace FunctionsUploader.Tests.EndToEnd;

/// <summary>
/// A real `uploader` process on the Durable Task engine, killed with SIGKILL at three points of a transfer and
/// resumed each time: the file arrives byte-identical, Prepare ran once, and no more chunks went out twice than
/// there were kills (the batch in flight each time).
/// </summary>
public sealed class KilledProcessResumeTests(JobWorld world, ITestOutputHelper log) : IClassFixture<JobWorld>, IDisposable
{
    private const int Chunks = 12;

    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-kill-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_cli_process_killed_three_times_mid_transfer_resumes_each_time_and_finishes_byte_identically()
    {
        // Each chunk answer is slowed, so every kill lands while chunks are still going out.
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "transfer", Nth = 1, Times = 0, DelayMs = 300 });
        var file = Path.Combine(_folder, "lecture 01.mp4");
        var data = TestData.Bytes(Chunks * JobWorld.PreprChunk, seed: 42);
        await File.WriteAllBytesAsync(file, data);
        var settings = world.Settings(_folder, new Dictionary<string, string?>
        {
            ["Uploader:Workflow:BatchBytes"] = JobWorld.PreprChunk.ToString(CultureInfo.InvariantCulture),
            ["Uploader:Cli:VisibilityTimeout"] = "00:00:10",
            ["Logging:LogLevel:DurableTask"] = "Information",
        });
        var config = Path.Combine(_folder, "uploader.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(settings));
        string[] upload = ["upload", file, "--vendor", "prepr", "--json", "--config", config];

        string? jobId = null;
        var killedAt = new List<int>();
        foreach (var killAfter in new[] { 2, 5, 8 })
        {
            using var cli = CliProcess.Start(jobId is null ? upload : ["resume", jobId, "--json", "--config", config]);
            killedAt.Add(await WaitForAcceptedChunksAsync(killAfter, cli));
            cli.Kill();
            log.WriteLine(cli.Stderr);
            var source = new FileInfo(file);
            jobId ??= JobIds.ForLocalFile(source.FullName, source.Length, source.LastWriteTimeUtc, "prepr");
        }

        using var last = CliProcess.Start("resume", jobId!, "--json", "--config", config);
        var (exit, stdout, stderr) = await last.WaitAsync(TimeSpan.FromMinutes(3));
        log.WriteLine(stderr);

        Assert.True(exit == UploaderCli.Done, $"exit {exit}: {stderr}{stdout}");
        var result = JsonSerializer.Deserialize<UploadResult>(stdout, WorkflowJson.Options)!;
        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        var asset = await world.Sandbox.InspectAsync("prepr", result.VendorAssetId!);
        Assert.Equal(TestData.Md5Hex(data), asset.Md5);
        Assert.Equal(data.Length, asset.Size);

        // Prepare ran once (one asset); chunks that had landed were not sent again: at most the one in flight per kill.
        var requests = await world.Sandbox.RequestsAsync();
        Assert.Single(requests, r => r.Operation == "createAsset");
        var transfers = requests.Where(r => r.Operation == "transfer" && r.ResourceId == result.VendorAssetId).ToList();
        Assert.Equal(Chunks, transfers.Count(r => r.Status is >= 200 and < 300));
        Assert.InRange(transfers.Count, Chunks, Chunks + killedAt.Count);
        Assert.Equal(killedAt.Count, killedAt.Distinct().Count());
        Assert.True(File.Exists(file));

        // The engine replayed the orchestration as it went: more orchestrator executions than the job's activities.
        var executions = await OrchestratorExecutionsAsync(config, jobId!);
        log.WriteLine($"killed after {string.Join(", ", killedAt)} accepted chunks; {transfers.Count} chunk requests; {executions} orchestrator executions");
        Assert.True(executions > Chunks, $"{executions} orchestrator executions");
    }

    /// <summary>Waits until the vendor has accepted at least <paramref name="atLeast"/> chunks; returns how many it had.</summary>
    private async Task<int> WaitForAcceptedChunksAsync(int atLeast, CliProcess cli)
    {
        // A guard against a hung process, not a timing assertion.
        var guard = Stopwatch.StartNew();
        while (!cli.HasExited && guard.Elapsed < TimeSpan.FromMinutes(3))
        {
            var accepted = (await world.Sandbox.RequestsAsync()).Count(r => r.Operation == "transfer" && r.Status is >= 200 and < 300);
            if (accepted >= atLeast)
            {
                Assert.True(accepted < Chunks, "the transfer finished before the kill");
                return accepted;
            }

            await Task.Delay(50);
        }

        var (exit, stdout, stderr) = await cli.WaitAsync();
        Assert.Fail($"The CLI did not get to {atLeast} chunks (exit {exit}): {stderr}{stdout}");
        return 0;
    }

    private static async Task<int> OrchestratorExecutionsAsync(string config, string jobId)
    {
        using var host = CliHost.Build(new FileInfo(config));
        await using var engine = await host.OpenEngineAsync(runJobs: false, CancellationToken.None);
        return (await engine.GetEngineLoadAsync(jobId, CancellationToken.None)).OrchestratorExecutions;
    }
}
