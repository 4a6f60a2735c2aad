using FunctionsUploader.Cli.Engine;
using Spectre.Console;

namespace FunctionsUploader.Cli;

/// <summary>
/// `uploader jobs --watch`: the running jobs with their live progress, redrawn in place every second on a terminal;
/// when the output is redirected, a line each time a running job's line changes. Runs until Ctrl+C.
/// It reads through the engine of the process that runs jobs; when none runs, it opens the state for a moment on
/// each refresh and lets it go, so that an `upload` or `resume` started meanwhile can take it.
/// </summary>
internal static class JobsView
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    public static async Task WatchAsync(TextWriter output, CliHost host, Func<JobEngine, Task<List<JobRecord>>> read, CancellationToken cancellationToken)
    {
        JobEngine? engine = null;
        string? problem = null; // why the last refresh could not read the jobs, shown until one can

        async Task<List<JobRecord>> list()
        {
            try
            {
                engine ??= await host.OpenEngineAsync(runJobs: false, cancellationToken);
                var jobs = await read(engine);
                if (engine.HoldsFolder)
                {
                    await engine.DisposeAsync();
                    engine = null;
                }

                problem = null;
                return jobs;
            }
            catch (Exception e) when (e is not (OperationCanceledException or SetupException))
            {
                // Most often the process whose emulator we read through has just ended (a job finished, or another
                // reader let the folder go): open the state again on the next refresh.
                problem = $"cannot read the jobs now ({e.Message.Split('\n')[0]}); trying again";
                if (engine is not null)
                {
                    await engine.DisposeAsync();
                    engine = null;
                }

                return [];
            }
        }

        try
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            if (console.Profile.Capabilities.Interactive)
            {
                await console.Live(Table([], null)).StartAsync(async live =>
                {
                    while (true)
                    {
                        var running = (await list()).Where(r => r.IsRunning).ToList();
                        live.UpdateTarget(Table(running, problem));
                        live.Refresh();
                        await Task.Delay(Refresh, cancellationToken);
                    }
                });
            }

            var shown = new Dictionary<string, string>(StringComparer.Ordinal);
            string? shownProblem = null;
            while (true)
            {
                var records = await list();
                if (problem is not null && problem != shownProblem)
                {
                    await output.WriteLineAsync(problem);
                }

                shownProblem = problem;
                foreach (var record in records.Where(r => r.IsRunning))
                {
                    var line = record.Describe();
                    if (!shown.TryGetValue(record.JobId, out var last) || last != line)
                    {
                        shown[record.JobId] = line;
                        await output.WriteLineAsync(line); // unwrapped, for grep and logs
                    }
                }

                await Task.Delay(Refresh, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C is how a watch ends.
        }
        finally
        {
            if (engine is not null)
            {
                await engine.DisposeAsync();
            }
        }
    }

    private static Table Table(IReadOnlyList<JobRecord> running, string? problem)
    {
        var table = new Table().AddColumns("job", "vendor", "phase", "progress", "rate", "left", "source");
        if (problem is not null)
        {
            table.Caption(Markup.Escape(problem));
        }
        else if (running.Count == 0)
        {
            table.Caption("no job is running; Ctrl+C ends the watch");
        }

        foreach (var job in running)
        {
            var status = job.Status;
            var percent = status is { BytesTotal: > 0 } ? 100.0 * status.BytesDone / status.BytesTotal : 0;
            table.AddRow(
                Markup.Escape(job.JobId),
                Markup.Escape(job.Vendor ?? string.Empty),
                Markup.Escape(status?.Phase ?? job.RuntimeStatus),
                $"{percent:0}% {status?.PartsDone ?? 0}/{status?.PartsTotal ?? 0} parts",
                status?.BytesPerSecond is { } rate ? $"{rate / (1024.0 * 1024):0.0} MiB/s" : string.Empty,
                status?.EtaSeconds is { } eta ? TimeSpan.FromSeconds(eta).ToString("c", CultureInfo.InvariantCulture) : string.Empty,
                Markup.Escape(job.Source ?? string.Empty));
        }

        return table;
    }
}
