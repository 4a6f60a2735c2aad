using FunctionsUploader.Workflow;
using Spectre.Console;

namespace FunctionsUploader.Cli;

/// <summary>
/// Shows a job's progress: a live bar (bytes, rate, parts, phase) on a terminal, plain lines when the output
/// is redirected, nothing with --json (stdout then carries only the result).
/// </summary>
internal sealed class ProgressView(IAnsiConsole console, bool quiet)
{
    public async Task<UploadResult> ShowAsync(string jobId, Func<Action<UploadStatus>, Task<UploadResult>> run)
    {
        if (quiet)
        {
            return await run(_ => { });
        }

        if (!console.Profile.Capabilities.Interactive)
        {
            string? lastLine = null;
            return await run(status =>
            {
                var line = $"{jobId} {status.Phase} {Percent(status)} {status.PartsDone}/{status.PartsTotal} parts";
                if (line != lastLine)
                {
                    lastLine = line;
                    console.WriteLine(line);
                }
            });
        }

        UploadResult? result = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(jobId, maxValue: 1);
                result = await run(status =>
                {
                    task.MaxValue = Math.Max(1, status.BytesTotal);
                    task.Value = status.BytesDone;
                    task.Description = $"{status.Phase} {status.PartsDone}/{status.PartsTotal} parts";
                });
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static string Percent(UploadStatus status) =>
        status.BytesTotal == 0 ? "0%" : (100.0 * status.BytesDone / status.BytesTotal).ToString("0", CultureInfo.InvariantCulture) + "%";
}
