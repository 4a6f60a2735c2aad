using System.CommandLine;
using System.Text.Json;
using FunctionsUploader.Cli.Engine;
using FunctionsUploader.Intake;
using FunctionsUploader.Simulators.Emulators;
using FunctionsUploader.Simulators.Sandbox;
using FunctionsUploader.Simulators.Tenants;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace FunctionsUploader.Cli;

/// <summary>
/// The `uploader` commands. Exit codes: 0 done, 1 the job failed, 2 bad usage, bad input or a missing prerequisite,
/// 130 stopped by Ctrl+C (the job waits for `uploader resume`).
/// </summary>
public static class UploaderCli
{
    public const int Done = 0;
    public const int JobFailed = 1;
    public const int BadInput = 2;
    public const int Stopped = 130;

    /// <summary>How many jobs of one command are looked up and started at a time (each is a few state-store calls).</summary>
    private const int JobsStartedAtOnce = 8;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var config = new Option<FileInfo?>("--config") { Description = "A JSON settings file ({\"Uploader\": {...}}); default ./uploader.json when present.", Recursive = true };
        var json = new Option<bool>("--json") { Description = "Print only the result, as JSON.", Recursive = true };

        var root = new RootCommand("Moves media files into DAM and video platforms, resumably.") { config, json };
        root.Subcommands.Add(UploadCommand(config, json, output, errors));
        root.Subcommands.Add(ResumeCommand(config, json, output, errors));
        root.Subcommands.Add(StatusCommand(config, json, output));
        root.Subcommands.Add(JobsCommand(config, json, output));
        root.Subcommands.Add(CancelCommand(config, json, output));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await errors.WriteLineAsync(error.Message);
            }

            await errors.WriteLineAsync("Run 'uploader --help' for usage.");
            return BadInput;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = output,
                Error = errors,
                EnableDefaultExceptionHandler = false,
                // Program.cs handles SIGINT and SIGTERM; System.CommandLine's own handler would race it.
                ProcessTerminationTimeout = null,
            }, cancellationToken);
        }
        catch (Exception e) when (e is IntakeException or OptionsValidationException or InvalidDataException or FormatException or SetupException or EmulatorsUnavailableException)
        {
            await errors.WriteLineAsync(e.Message);
            return BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await errors.WriteLineAsync("Stopped.");
            return Stopped;
        }
        catch (Exception e)
        {
            // Not the user's doing: one line, no stack trace (Logging:LogLevel shows more).
            await errors.WriteLineAsync($"uploader: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            return JobFailed;
        }
    }

    private static Command UploadCommand(Option<FileInfo?> config, Option<bool> json, TextWriter output, TextWriter errors)
    {
        var source = new Argument<string[]>("source") { Description = "Local files, or names of files in the staging container: their jobs run side by side.", Arity = ArgumentArity.OneOrMore };
        var vendor = new Option<string[]>("--vendor") { Description = "The vendor to upload to (mediavalet, picovico, prepr, panopto).", Required = true };
        var title = new Option<string?>("--title");
        var description = new Option<string?>("--description");
        var category = new Option<string[]>("--category") { Description = "A category (repeatable)." };
        var metadata = new Option<string[]>("--metadata") { Description = "key=value (repeatable)." };
        var status = new Option<string?>("--status") { Description = "The vendor status to set when the upload is in." };
        var folder = new Option<string?>("--folder") { Description = "The vendor folder (Panopto FolderId)." };
        var jobId = new Option<string?>("--job-id") { Description = "Your own job id (letters, digits, . _ : -)." };
        var newVersionOf = new Option<string?>("--new-version-of") { Description = "Upload as a new version of this existing asset (MediaValet)." };
        var sandbox = new Option<bool>("--sandbox") { Description = "Run against local vendor simulators and storage emulators started for this run, and read the result back to verify it." };
        var command = new Command("upload", "Upload files and wait until the vendor has them.")
        {
            source, vendor, title, description, category, metadata, status, folder, jobId, newVersionOf, sandbox,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var sources = parse.GetValue(source) ?? [];
            if (sources.Length > 1 && parse.GetValue(jobId) is not null)
            {
                throw new IntakeException("--job-id", [$"names one job, but {sources.Length} sources were given; give one source with it"]);
            }

            var instructions = sources.Select(s => new UploadInstructions
            {
                Source = s,
                Vendors = parse.GetValue(vendor),
                Title = parse.GetValue(title),
                Description = parse.GetValue(description),
                Categories = parse.GetValue(category) is { Length: > 0 } c ? c : null,
                Metadata = ParseMetadata(parse.GetValue(metadata) ?? []),
                Status = parse.GetValue(status),
                Folder = parse.GetValue(folder),
                JobId = parse.GetValue(jobId),
                NewVersionOf = parse.GetValue(newVersionOf),
            }).ToList();
            if (parse.GetValue(sandbox))
            {
                return await RunInSandboxAsync(parse.GetValue(config), instructions, parse.GetValue(json), output, errors, cancellationToken);
            }

            using var host = CliHost.Build(parse.GetValue(config));
            var jobs = await host.JobsForAsync(instructions, cancellationToken);
            await using var engine = await host.OpenEngineAsync(runJobs: true, cancellationToken);
            return await RunJobsAsync(engine, jobs, restart: true, parse.GetValue(json), output, errors, null, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The whole job against simulators and emulators started for this run only, with a fresh state folder (so a
    /// sandbox run never resumes a real job): then the bytes are read back from the vendor and checked.
    /// </summary>
    private static async Task<int> RunInSandboxAsync(FileInfo? config, IReadOnlyList<UploadInstructions> instructions, bool json, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (!json)
        {
            await errors.WriteLineAsync("Starting the sandbox: Azurite, s3rver and the vendor simulators on local ports...");
        }

        // Locate (and on first use install) the emulators before anything starts, so a missing prerequisite is one line.
        await EmulatorInstallation.Locate().EnsureInstalledAsync(cancellationToken);
        var state = Directory.CreateTempSubdirectory("uploader-sandbox-");
        try
        {
            var stateSettings = new Dictionary<string, string?>
            {
                [$"{CliOptions.Section}:StateDirectory"] = state.FullName,
                [$"{CliOptions.Section}:StateStorage"] = null,
            };
            using var stateHost = CliHost.Build(config, stateSettings);
            // The engine's Azurite starts while the sandbox does; the engine takes it over once both are up.
            var accountStart = stateHost.OpenStateAsync(runJobs: true, cancellationToken);
            var handedOver = false;
            try
            {
                await using var world = await VendorSandbox.StartAsync(new TenantSettings { ProcessingPolls = 1 }, cancellationToken);
                var settings = new Dictionary<string, string?>(world.Settings())
                {
                    [$"{UploaderServices.Section}:Workflow:ProcessingPollInterval"] = "00:00:01",
                };
                foreach (var (key, value) in stateSettings)
                {
                    settings[key] = value;
                }

                using var host = CliHost.Build(config, settings);
                var jobs = await host.JobsForAsync(instructions, cancellationToken);
                var account = await accountStart;
                handedOver = true;
                await using var engine = await host.OpenEngineAsync(runJobs: true, cancellationToken, account);
                return await RunJobsAsync(engine, jobs, restart: true, json, output, errors, (job, result) => VerifyAsync(world, job, result, cancellationToken), cancellationToken);
            }
            finally
            {
                if (!handedOver)
                {
                    await DisposeOpenedAsync(accountStart);
                }
            }
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    /// <summary>Stops a state account that was opened but never handed to an engine; one that failed to open needs nothing.</summary>
    private static async Task DisposeOpenedAsync(Task<StateAccount> opening)
    {
        try
        {
            await (await opening).DisposeAsync();
        }
        catch (Exception) when (!opening.IsCompletedSuccessfully)
        {
        }
    }

    /// <summary>Reads the vendor's copy back: the result carries its MD5, and a copy that differs from the source fails the job.</summary>
    private static async Task<UploadResult> VerifyAsync(VendorSandbox world, UploadJob job, UploadResult result, CancellationToken cancellationToken)
    {
        if (result.Outcome != UploadOutcome.Completed || result.VendorAssetId is null)
        {
            return result;
        }

        var report = await world.InspectAsync(job.Vendor, result.VendorAssetId, cancellationToken);
        var verified = result with { DestinationMd5 = report.Md5 };
        return result.SourceMd5 is null || string.Equals(report.Md5, result.SourceMd5, StringComparison.OrdinalIgnoreCase)
            ? verified
            : verified with
            {
                Outcome = UploadOutcome.Failed,
                Failure = new FailureReport("Verify", $"The vendor holds bytes with MD5 {report.Md5}, the source has {result.SourceMd5}.", Permanent: true),
            };
    }

    private static Command ResumeCommand(Option<FileInfo?> config, Option<bool> json, TextWriter output, TextWriter errors)
    {
        var jobId = new Argument<string>("job-id");
        var command = new Command("resume", "Resume a stopped job where it was.") { jobId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = CliHost.Build(parse.GetValue(config));
            var id = parse.GetValue(jobId)!;
            await using var engine = await host.OpenEngineAsync(runJobs: true, cancellationToken);
            var job = (await engine.GetAsync(id))?.Job
                ?? throw new IntakeException(id, [$"no job with this id was started from {host.StateDirectory}"]);
            return await RunJobsAsync(engine, [job], restart: false, parse.GetValue(json), output, errors, null, cancellationToken);
        });
        return command;
    }

    private static Command StatusCommand(Option<FileInfo?> config, Option<bool> json, TextWriter output)
    {
        var jobId = new Argument<string?>("job-id") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Show a job's phase and progress (the latest job without an id).") { jobId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = CliHost.Build(parse.GetValue(config));
            await using var engine = await host.OpenEngineAsync(runJobs: false, cancellationToken);
            var id = parse.GetValue(jobId);
            var state = id is null ? (await engine.ListAsync(cancellationToken)).FirstOrDefault() : await engine.GetAsync(id);
            if (state is null)
            {
                throw new IntakeException(id ?? "status", [id is null ? "no jobs have run here yet" : "no job with this id has run here"]);
            }

            await output.WriteLineAsync(parse.GetValue(json) ? Json(JobRecord.Of(state)) : JobRecord.Of(state).Describe());
            return Done;
        });
        return command;
    }

    private static Command JobsCommand(Option<FileInfo?> config, Option<bool> json, TextWriter output)
    {
        var statuses = new Option<string?>("--runtime-status") { Description = "Only jobs in these states (comma-separated: Running, Completed, Failed, Terminated, Pending, ...)." };
        var vendor = new Option<string?>("--vendor") { Description = "Only jobs for this vendor." };
        var since = new Option<string?>("--created-since") { Description = "Only jobs created at or after this time (ISO 8601, e.g. 2026-12-01T08:00:00Z)." };
        var watch = new Option<bool>("--watch") { Description = "Keep showing the running jobs with their live progress until Ctrl+C." };
        var command = new Command("jobs", "List the jobs run from this machine, newest first.") { statuses, vendor, since, watch };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The HTTP list's parameters, each named after the option that gave it.
            var options = new Dictionary<string, Option<string?>> { ["runtimeStatus"] = statuses, ["vendor"] = vendor, ["createdSince"] = since };
            var query = JobListQuery.Parse(options.ToDictionary(o => o.Key, o => parse.GetValue(o.Value) ?? string.Empty), name => options[name].Name)!;
            if (query.Problem is { } problem)
            {
                throw new IntakeException("jobs", [problem]);
            }

            using var host = CliHost.Build(parse.GetValue(config));
            async Task<List<JobRecord>> ListAsync(JobEngine engine) =>
                [.. (await engine.ListAsync(cancellationToken))
                    .Where(j => query.Matches(Enum.Parse<OrchestrationRuntimeStatus>(j.RuntimeStatus), j.Job?.Vendor, j.CreatedAt))
                    .Select(JobRecord.Of)];

            if (parse.GetValue(watch))
            {
                await JobsView.WatchAsync(output, host, ListAsync, cancellationToken);
                return Done;
            }

            await using var engine = await host.OpenEngineAsync(runJobs: false, cancellationToken);
            var records = await ListAsync(engine);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(records, Printed));
            }
            else
            {
                foreach (var record in records)
                {
                    await output.WriteLineAsync(record.Describe());
                }
            }

            return Done;
        });
        return command;
    }

    private static Command CancelCommand(Option<FileInfo?> config, Option<bool> json, TextWriter output)
    {
        var jobId = new Argument<string>("job-id");
        var command = new Command("cancel", "Cancel a job: stop it, remove the vendor's half-done upload, move a staging source to failed/.") { jobId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = CliHost.Build(parse.GetValue(config));
            var id = parse.GetValue(jobId)!;
            await using var engine = await host.OpenEngineAsync(runJobs: false, cancellationToken);
            var state = await engine.GetAsync(id) ?? throw new IntakeException(id, ["no job with this id has run here"]);
            if (state.IsFinished)
            {
                throw new IntakeException(id, [$"the job has already ended ({state.Result?.Outcome ?? state.RuntimeStatus})"]);
            }

            if (engine.OwnsState)
            {
                // No other process runs the job: this one's worker takes the termination (and obeys the cancel mark).
                await engine.StartWorkerAsync(host.Services);
            }

            await engine.TerminateAsync(id, "Cancelled from the command line.", cancellationToken);
            var archived = await host.Services.GetRequiredService<Activities.JobCancellation>()
                .CancelAsync(state.Job!, "Cancelled from the command line.", cancellationToken);
            await output.WriteLineAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { jobId = id, cancelled = true, archivedTo = archived.Destination }, Printed)
                : $"{id}: cancelled; source {archived.Destination ?? "left in place"}");
            return Done;
        });
        return command;
    }

    /// <summary>
    /// Runs each job on the engine and waits for it, showing progress. A job the engine already has is picked up where
    /// it is; one that ended is reported, except that with <paramref name="restart"/> one that did not succeed starts over.
    /// </summary>
    private static async Task<int> RunJobsAsync(
        JobEngine engine,
        IReadOnlyList<UploadJob> jobs,
        bool restart,
        bool json,
        TextWriter output,
        TextWriter errors,
        Func<UploadJob, UploadResult, Task<UploadResult>>? afterJob,
        CancellationToken cancellationToken)
    {
        var view = new ProgressView(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) }), quiet: json);
        var results = new List<UploadResult>();
        var loads = new List<EngineLoad>();
        // Every job starts before the first is waited for: the engine runs them side by side.
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = JobsStartedAtOnce, CancellationToken = cancellationToken }, async (job, _) =>
        {
            var known = await engine.GetAsync(job.JobId);
            if (known is null || (restart && known.IsFinished && known.Result?.Outcome != UploadOutcome.Completed))
            {
                await engine.StartAsync(job);
            }
        });

        foreach (var job in jobs)
        {
            UploadResult result;
            try
            {
                // A job that ended while an earlier one was waited for gets its result line, not a bar that fills at once.
                result = await engine.GetAsync(job.JobId) is { IsFinished: true } ended
                    ? ResultOf(job, ended)
                    : await view.ShowAsync(job.JobId, async progress => ResultOf(job, await engine.WaitAsync(job.JobId, progress, cancellationToken)));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // A sandbox run (it verifies its result) keeps no state: there is nothing to resume.
                var unfinished = jobs.Skip(results.Count).Select(j => j.JobId).ToList();
                await errors.WriteLineAsync(afterJob is null
                    ? unfinished.Count == 1
                        ? $"Stopped. 'uploader resume {job.JobId}' continues the job where it is."
                        : $"Stopped. 'uploader resume <job-id>' continues a job where it is; not waited for yet: {string.Join(", ", unfinished)}."
                    : "Stopped. The sandbox and its state are gone; run it again to start over.");
                return Stopped;
            }

            if (afterJob is not null)
            {
                result = await afterJob(job, result);
            }

            results.Add(result);
            if (json)
            {
                loads.Add(await engine.GetEngineLoadAsync(job.JobId, cancellationToken));
            }
            else
            {
                await output.WriteLineAsync(result.Outcome == UploadOutcome.Completed
                    ? $"{job.JobId}: uploaded {result.Bytes} bytes to {job.Vendor} as {result.VendorAssetId}; source {result.ArchivedTo ?? "left in place"}"
                    : $"{job.JobId}: FAILED at {result.Failure!.Step}: {result.Failure.Reason}");
            }
        }

        if (json)
        {
            // Each result as the app reports it, with what the job cost the engine beside it.
            var printed = results.Zip(loads, (result, load) =>
            {
                var node = JsonSerializer.SerializeToNode(result, WorkflowJson.Options)!.AsObject();
                node["engine"] = JsonSerializer.SerializeToNode(load, WorkflowJson.Options);
                return node;
            }).ToList();
            await output.WriteLineAsync(printed.Count == 1 ? printed[0].ToJsonString(Printed) : new System.Text.Json.Nodes.JsonArray([.. printed]).ToJsonString(Printed));
        }

        return results.All(r => r.Outcome == UploadOutcome.Completed) ? Done : JobFailed;
    }

    /// <summary>The job's result; an orchestration that ended without one (terminated, or failed outright) as a failed result.</summary>
    private static UploadResult ResultOf(UploadJob job, JobState state) =>
        state.Result ?? new UploadResult(
            job.JobId, job.Vendor, UploadOutcome.Failed, state.Status?.VendorAssetId, state.Status?.BytesTotal ?? 0, null, null, null,
            new FailureReport(
                state.RuntimeStatus == "Terminated" ? Activities.JobCancellation.Step : state.Status?.Phase ?? "Run",
                state.Failure ?? $"the job ended {state.RuntimeStatus}",
                Permanent: true));

    private static Dictionary<string, string>? ParseMetadata(string[] pairs)
    {
        if (pairs.Length == 0)
        {
            return null;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new IntakeException("--metadata", [$"'{pair}' is not key=value"]);
            }

            metadata[pair[..equals]] = pair[(equals + 1)..];
        }

        return metadata;
    }

    /// <summary>
    /// The workflow's JSON, for a terminal or a script rather than a web page: characters such as + and ' as they are
    /// (2026-12-02T02:07:19+00:00), not escaped for HTML.
    /// </summary>
    private static readonly JsonSerializerOptions Printed = new(WorkflowJson.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(object value) => JsonSerializer.Serialize(value, Printed);
}

/// <summary>What `uploader status` and `uploader jobs` show of a job.</summary>
internal sealed record JobRecord(string JobId, string? Vendor, string? Source, string RuntimeStatus, UploadStatus? Status, UploadResult? Result, string? Failure, DateTimeOffset UpdatedAt)
{
    public static JobRecord Of(JobState state) =>
        new(state.JobId, state.Job?.Vendor, state.Job?.Source.ToString(), state.RuntimeStatus, state.Status, state.Result, state.Failure, state.UpdatedAt)
        {
            IsRunning = !state.IsFinished,
        };

    /// <summary>Whether the job still runs (its orchestration has not ended).</summary>
    public bool IsRunning { get; init; }

    /// <summary>One line: id, vendor, phase or outcome, progress (with rate and time left while bytes move), source, last error.</summary>
    public string Describe() =>
        $"{JobId}  {Vendor}  {Result?.Outcome ?? Status?.Phase ?? RuntimeStatus}  " +
        $"{Status?.BytesDone ?? 0}/{Status?.BytesTotal ?? 0} bytes  {Status?.PartsDone ?? 0}/{Status?.PartsTotal ?? 0} parts  " +
        (Status is { BytesPerSecond: { } rate } ? $"{rate / (1024.0 * 1024):0.0} MiB/s  " : string.Empty) +
        (Status is { EtaSeconds: { } eta } ? $"{TimeSpan.FromSeconds(eta):c} left  " : string.Empty) +
        Source +
        ((Status?.LastError ?? Failure) is { } error ? $"  last error: {error}" : string.Empty);
}
