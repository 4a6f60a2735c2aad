using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsUploader.Cli;
using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Tests.EndToEnd;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.Cli;

/// <summary>
/// A CLI job on a terminal, watched three ways while it moves one 256 MiB batch: its own progress bar (recorded
/// through a pseudo-terminal), `uploader status`, and `uploader jobs --watch` from other processes, both on a terminal
/// (its live table) and redirected (its lines). Each must show
/// the bytes moving before the commit, not only when the batch ends.
/// </summary>
public sealed partial class CliProgressTests(JobWorld world, Xunit.Abstractions.ITestOutputHelper log) : IClassFixture<JobWorld>, IDisposable
{
    private const int Size = 256 * 1024 * 1024;

    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-progress-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_bar_status_and_jobs_watch_show_bytes_moving_during_one_batch()
    {
        // Slowed chunk answers give the watchers time to look; one batch means only live reports can move the figures.
        var guard0 = Stopwatch.StartNew();
        await world.Sandbox.AddFaultAsync(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "transfer", Nth = 1, Times = 0, DelayMs = 40 });
        var file = Path.Combine(_folder, "keynote.mp4");
        var data = TestData.Bytes(Size, seed: 12);
        await File.WriteAllBytesAsync(file, data);
        var settings = world.Settings(_folder, new Dictionary<string, string?>
        {
            ["Uploader:Workflow:BatchBytes"] = Size.ToString(CultureInfo.InvariantCulture),
            ["Uploader:Workflow:ProgressInterval"] = "00:00:00.100",
        });
        var config = Path.Combine(_folder, "uploader.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(settings));
        var source = new FileInfo(file);
        var jobId = JobIds.ForLocalFile(source.FullName, source.Length, source.LastWriteTimeUtc, "prepr");

        using var terminal = CliProcess.StartOnTerminal(["upload", file, "--vendor", "prepr", "--config", config]);

        // The watchers come once the job runs, as a user's would: before that, each of them would start the state
        // emulator for itself and make the upload wait for the state folder.
        var guard = Stopwatch.StartNew(); // against a hung job, not a timing assertion
        while (!terminal.HasExited && !terminal.Stdout.Contains("Preparing", StringComparison.Ordinal) && guard.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(50);
        }

        using var watchTerminal = CliProcess.StartOnTerminal(["jobs", "--watch", "--vendor", "prepr", "--config", config]);
        using var stopWatch = new CancellationTokenSource();
        using var watchOutput = new StringWriter();
        var watch = UploaderCli.RunAsync(["jobs", "--watch", "--vendor", "prepr", "--config", config], watchOutput, TextWriter.Null, stopWatch.Token);

        log.WriteLine($"{guard0.Elapsed}: the CLI started");
        var seen = new List<long>();
        while (!terminal.HasExited && guard.Elapsed < TimeSpan.FromMinutes(5))
        {
            using var output = new StringWriter();
            if (await UploaderCli.RunAsync(["status", jobId, "--json", "--config", config], output, TextWriter.Null) == UploaderCli.Done)
            {
                if (JsonDocument.Parse(output.ToString()).RootElement.TryGetProperty("status", out var status)
                    && status.GetProperty("phase").GetString() == UploadPhase.Transferring)
                {
                    seen.Add(status.GetProperty("bytesDone").GetInt64());
                }
            }

            await Task.Delay(100);
        }

        log.WriteLine($"{guard.Elapsed}: the CLI ended; {seen.Count} status reads");
        var (exit, recording, _) = await terminal.WaitAsync(TimeSpan.FromMinutes(1));
        await stopWatch.CancelAsync();
        Assert.Equal(UploaderCli.Done, await watch);

        Assert.True(exit == UploaderCli.Done, $"exit {exit}: {recording}");
        Assert.All(seen, b => Assert.InRange(b, 0, Size));
        var moving = seen.Where(b => b is > 0 and < Size).Distinct().ToList();
        Assert.True(moving.Count >= 5, $"bytesDone seen by `uploader status`: {string.Join(", ", seen)}");
        Assert.Equal(moving.Order(), moving);

        // The watch printed a line each time the running job's figures changed.
        var watched = BytesLine().Matches(watchOutput.ToString()).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Where(b => b is > 0 and < Size).Distinct().ToList();
        Assert.True(watched.Count >= 3, $"`uploader jobs --watch` printed: {watchOutput}");
        Assert.Equal(watched.Order(), watched);

        // The watch's live table on a terminal: the job's row went through several percentages. (Ctrl+C is how a
        // watch ends; here the guard's kill ends it and hands over what the terminal showed.)
        var (_, table, _) = await watchTerminal.WaitAsync(TimeSpan.FromSeconds(1));
        var rows = TableProgress().Matches(Ansi().Replace(table, string.Empty)).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Where(p => p is > 0 and < 100).Distinct().ToList();
        Assert.True(rows.Count >= 2, $"the watch's table drew: {Ansi().Replace(table, " ")}");
        Assert.Equal(rows.Order(), rows);

        // The bar, as the terminal drew it: its percentage went through several values on the way to 100%.
        var percents = Percent().Matches(Ansi().Replace(recording, string.Empty)).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Where(p => p is > 0 and < 100).Distinct().ToList();
        Assert.True(percents.Count >= 3, $"the bar drew: {Ansi().Replace(recording, " ")}");
        Assert.Equal(percents.Order(), percents);

        // The one asset this class's vendor sandbox received holds the file's bytes.
        var assetId = (await world.Sandbox.RequestsAsync()).Single(r => r.Operation == "createAsset" && r.Status is >= 200 and < 300).ResourceId!;
        Assert.Equal(TestData.Md5Hex(data), (await world.Sandbox.InspectAsync("prepr", assetId)).Md5);
    }

    [GeneratedRegex(@"(\d+)/\d+ bytes")]
    private static partial Regex BytesLine();

    [GeneratedRegex(@"(\d{1,3})%")]
    private static partial Regex Percent();

    [GeneratedRegex(@"(\d{1,3})% \d+/\d+ parts")]
    private static partial Regex TableProgress();

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")]
    private static partial Regex Ansi();
}
