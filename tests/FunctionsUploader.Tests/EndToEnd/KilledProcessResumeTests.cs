using System.Diagnostics;
using System.Text.Json;
using FunctionsUploader.Cli;
using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Workflow;
using FunctionsUploader.Workflow.InProcess;

namespace FunctionsUploader.Tests.EndToEnd;

/// <summary>A real `uploader` process killed mid-transfer, then `uploader resume`: byte-identical, nothing redone that had finished.</summary>
public sealed class KilledProcessResumeTests(JobWorld world) : IClassFixture<JobWorld>, IDisposable
{
    private const int Chunks = 12;

    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-kill-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_cli_process_killed_mid_transfer_resumes_and_finishes_byte_identically()
    {
        // Each chunk answer is slowed, so the kill lands while chunks are still going out.
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "transfer", Nth = 1, Times = 0, DelayMs = 300 });
        var file = Path.Combine(_folder, "lecture 01.mp4");
        var data = TestData.Bytes(Chunks * JobWorld.PreprChunk, seed: 42);
        await File.WriteAllBytesAsync(file, data);
        var settings = world.Settings(_folder, new Dictionary<string, string?> { ["Uploader:Workflow:BatchBytes"] = JobWorld.PreprChunk.ToString(CultureInfo.InvariantCulture) });
        var config = Path.Combine(_folder, "uploader.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(settings));
        var journals = Path.Combine(_folder, "state", "journals");

        using (var first = StartCli("upload", file, "--vendor", "prepr", "--json", "--config", config))
        {
            await WaitForCopiedBatchesAsync(journals, atLeast: 3, first);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var journal = Assert.Single(Directory.GetFiles(journals, "*.jsonl"));
        var jobId = Path.GetFileNameWithoutExtension(journal);
        var beforeResume = Journal.Open(journal);
        Assert.Null(beforeResume.FindKind(JournalEntry.Completed));
        var copiedBeforeKill = beforeResume.Entries.Count(e => e.Name == ActivityNames.CopyBatch);
        Assert.InRange(copiedBeforeKill, 3, Chunks - 1);

        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await UploaderCli.RunAsync(["resume", jobId, "--json", "--config", config], output, errors);

        Assert.True(exit == UploaderCli.Done, errors.ToString());
        var result = JsonSerializer.Deserialize<UploadResult>(output.ToString(), WorkflowJson.Options)!;
        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        var asset = await world.Sandbox.InspectAsync("prepr", result.VendorAssetId!);
        Assert.Equal(TestData.Md5Hex(data), asset.Md5);
        Assert.Equal(data.Length, asset.Size);

        // Prepare ran once (one asset), and chunks that had landed were not sent again: at most the one in flight.
        var requests = (await world.Sandbox.RequestsAsync()).Where(r => r.ResourceId == result.VendorAssetId || r.Operation == "createAsset").ToList();
        Assert.Single(requests, r => r.Operation == "createAsset");
        var accepted = requests.Count(r => r.Operation == "transfer" && r.Status is >= 200 and < 300);
        Assert.Equal(Chunks, accepted);
        Assert.InRange(requests.Count(r => r.Operation == "transfer"), Chunks, Chunks + 1);
        Assert.True(await ReplayChecker.VerifyDirectoryAsync(journals) >= 1);
        Assert.True(File.Exists(file));
    }

    private static Process StartCli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(UploaderCli).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForCopiedBatchesAsync(string journals, int atLeast, Process process)
    {
        // A guard against a hung process, not a timing assertion.
        var guard = Stopwatch.StartNew();
        while (!process.HasExited && guard.Elapsed < TimeSpan.FromMinutes(3))
        {
            var copied = Directory.Exists(journals)
                ? Directory.GetFiles(journals, "*.jsonl").Sum(p => Journal.Open(p).Entries.Count(e => e.Name == ActivityNames.CopyBatch))
                : 0;
            if (copied >= atLeast)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail(process.HasExited
            ? $"The CLI exited (code {process.ExitCode}) before {atLeast} batches were copied."
            : $"The CLI copied fewer than {atLeast} batches in {guard.Elapsed}.");
    }
}
