using System.CommandLine;
using System.Text.Json;
using FunctionsUploader.Intake;
using FunctionsUploader.Simulators.Sandbox;
using FunctionsUploader.Simulators.Tenants;
using FunctionsUploader.Workflow;
using FunctionsUploader.Workflow.InProcess;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace FunctionsUploader.Cli;

/// <summary>The `uploader` commands. Exit codes: 0 done, 1 the job failed, 2 bad usage or bad input.</summary>
public static class UploaderCli
{
    public const int Done = 0;
    public const int JobFailed = 1;
    public const int BadInput = 2;

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
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception e) when (e is IntakeException or OptionsValidationException or InvalidDataException or FormatException)
        {
            await errors.WriteLineAsync(e.Message);
            return BadInput;
        }
    }

    private static Command UploadCommand(Option<FileInfo?> config, Option<bool> json, TextWriter output, TextWriter errors)
    {
        var source = new Argument<string>("source") { Description = "A local file, or the name of a file in the staging container." };
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
        var command = new Command("upload", "Upload one file and wait until the vendor has it.")
        {
            source, vendor, title, description, category, metadata, status, folder, jobId, newVersionOf, sandbox,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var instructions = new UploadInstructions
            {
                Source = parse.GetValue(source),
                Vendors = parse.GetValue(vendor),
                Title = parse.GetValue(title),
                Description = parse.GetValue(description),
                Categories = parse.GetValue(category) is { Length: > 0 } c ? c : null,
                Metadata = ParseMetadata(parse.GetValue(metadata) ?? []),
                Status = parse.GetValue(status),
                Folder = parse.GetValue(folder),
                JobId = parse.GetValue(jobId),
                NewVersionOf = parse.GetValue(newVersionOf),
            };
            if (parse.GetValue(sandbox))
            {
                return await RunInSandboxAsync(parse.GetValue(config), instructions, parse.GetValue(json), output, errors, cancellationToken);
            }

            using var host = CliHost.Build(parse.GetValue(config));
            var jobs = await host.JobsForAsync(instructions, cancellationToken);
            return await RunJobsAsync(host, jobs, parse.GetValue(json), output, errors, null, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The whole job against simulators and emulators started for this run only (and a fresh state folder, so a
    /// sandbox run never resumes a real job): then the bytes are read back from the vendor and checked.
    /// </summary>
    private static async Task<int> RunInSandboxAsync(FileInfo? config, UploadInstructions instructions, bool json, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (!json)
        {
            await errors.WriteLineAsync("Starting the sandbox: Azurite, s3rver and the vendor simulators on local ports...");
        }

        await using var world = await VendorSandbox.StartAsync(new TenantSettings { ProcessingPolls = 1 }, cancellationToken);
        var state = Directory.CreateTempSubdirectory("uploader-sandbox-");
        try
        {
            var settings = new Dictionary<string, string?>(world.Settings())
            {
                [$"{UploaderServices.Section}:Cli:StateDirectory"] = state.FullName,
                [$"{UploaderServices.Section}:Workflow:ProcessingPollInterval"] = "00:00:01",
            };
            using var host = CliHost.Build(config, settings);
            var jobs = await host.JobsForAsync(instructions, cancellationToken);
            return await RunJobsAsync(host, jobs, json, output, errors, (job, result) => VerifyAsync(world, job, result, cancellationToken), cancellationToken);
        }
        finally
        {
            state.Delete(recursive: true);
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
            var job = host.Runner.FindJob(id)
                ?? throw new IntakeException(id, [$"no job with this id was started from {host.State.Root}"]);
            return await RunJobsAsync(host, [job], parse.GetValue(json), output, errors, null, cancellationToken);
        });
        return command;
    }

    private static Command StatusCommand(Option<FileInfo?> config, Option<bool> json, TextWriter output)
    {
        var jobId = new Argument<string?>("job-id") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Show a job's phase and progress (the latest job without an id).") { jobId };
        command.SetAction(async (parse, _) =>
        {
            using var host = CliHost.Build(parse.GetValue(config));
            var id = parse.GetValue(jobId);
            var record = id is null ? host.State.AllStatuses().LastOrDefault() : host.State.LoadStatus(id);
            if (record is null)
            {
                throw new IntakeException(id ?? "status", [id is null ? "no jobs have run here yet" : "no job with this id has run here"]);
            }

            await output.WriteLineAsync(parse.GetValue(json) ? Json(record) : Describe(record));
            return Done;
        });
        return command;
    }

    private static Command JobsCommand(Option<FileInfo?> config, Option<bool> json, TextWriter output)
    {
        var command = new Command("jobs", "List the jobs run from this machine.");
        command.SetAction(async (parse, _) =>
        {
            using var host = CliHost.Build(parse.GetValue(config));
            var records = host.State.AllStatuses().ToList();
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(records, WorkflowJson.Options));
            }
            else
            {
                foreach (var record in records)
                {
                    await output.WriteLineAsync(Describe(record));
                }
            }

            return Done;
        });
        return command;
    }

    private static async Task<int> RunJobsAsync(
        CliHost host,
        IReadOnlyList<UploadJob> jobs,
        bool json,
        TextWriter output,
        TextWriter errors,
        Func<UploadJob, UploadResult, Task<UploadResult>>? afterJob,
        CancellationToken cancellationToken)
    {
        var view = new ProgressView(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) }), quiet: json);
        var results = new List<UploadResult>();
        foreach (var job in jobs)
        {
            var result = await view.ShowAsync(job.JobId, progress => host.Runner.RunAsync(
                job,
                status =>
                {
                    host.State.SaveStatus(job.JobId, new JobRecord(job.JobId, job.Vendor, job.Source.ToString(), status, null, DateTimeOffset.UtcNow));
                    progress(status);
                },
                cancellationToken));
            if (afterJob is not null)
            {
                result = await afterJob(job, result);
            }

            var last = host.State.LoadStatus(job.JobId)?.Status ?? new UploadStatus { Phase = result.Outcome };
            host.State.SaveStatus(job.JobId, new JobRecord(job.JobId, job.Vendor, job.Source.ToString(), last, result, DateTimeOffset.UtcNow));
            results.Add(result);
            if (!json)
            {
                await output.WriteLineAsync(result.Outcome == UploadOutcome.Completed
                    ? $"{job.JobId}: uploaded {result.Bytes} bytes to {job.Vendor} as {result.VendorAssetId}; source {result.ArchivedTo ?? "left in place"}"
                    : $"{job.JobId}: FAILED at {result.Failure!.Step}: {result.Failure.Reason}");
            }
        }

        if (json)
        {
            await output.WriteLineAsync(results.Count == 1 ? Json(results[0]) : JsonSerializer.Serialize(results, WorkflowJson.Options));
        }

        return results.All(r => r.Outcome == UploadOutcome.Completed) ? Done : JobFailed;
    }

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

    private static string Json(object value) => JsonSerializer.Serialize(value, WorkflowJson.Options);

    private static string Describe(JobRecord record) =>
        $"{record.JobId}  {record.Vendor}  {record.Result?.Outcome ?? record.Status.Phase}  {record.Status.BytesDone}/{record.Status.BytesTotal} bytes  " +
        $"{record.Status.PartsDone}/{record.Status.PartsTotal} parts  {record.Source}" +
        (record.Status.LastError is { } error ? $"  last error: {error}" : string.Empty);
}

/// <summary>Configuration, services and local state for one CLI invocation.</summary>
internal sealed class CliHost : IDisposable
{
    private readonly ServiceProvider _services;

    private CliHost(IConfiguration configuration, ServiceProvider services, CliState state)
    {
        Configuration = configuration;
        _services = services;
        State = state;
        Vendors = UploaderServices.ConfiguredVendors(configuration);
        Settings = services.GetRequiredService<IOptions<WorkflowSettings>>().Value;
        Runner = new InProcessRunner(services, ActivityCatalog.Registrations, state.Journals, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILoggerFactory>());
    }

    public IConfiguration Configuration { get; }

    public CliState State { get; }

    public IReadOnlyCollection<string> Vendors { get; }

    public WorkflowSettings Settings { get; }

    public InProcessRunner Runner { get; }

    /// <summary>Settings: ./uploader.json or --config, then environment variables named as the Functions app settings (Uploader__...).</summary>
    public static CliHost Build(FileInfo? configFile, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!configFile.Exists)
            {
                throw new InvalidDataException($"--config {configFile.FullName}: the file does not exist");
            }

            builder.AddJsonFile(configFile.FullName, optional: false);
        }
        else
        {
            builder.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "uploader.json"), optional: true);
        }

        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(overrides ?? []);
        var configuration = builder.Build();

        var state = new CliState(configuration[$"{UploaderServices.Section}:Cli:StateDirectory"] is { Length: > 0 } dir ? dir : CliState.DefaultRoot());
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning))
            .AddUploader(configuration);
        services.Configure<JobStoreOptions>(o => o.Directory ??= state.JobStore);
        return new CliHost(configuration, services.BuildServiceProvider(), state);
    }

    public async Task<IReadOnlyList<UploadJob>> JobsForAsync(UploadInstructions instructions, CancellationToken cancellationToken)
    {
        if (File.Exists(instructions.Source))
        {
            return [UploadIntake.ForLocalFile(instructions.Source, instructions, Vendors, Settings)];
        }

        var options = _services.GetRequiredService<IOptions<IntakeOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.Staging.ConnectionString) && options.Staging.BlobEndpoint is null)
        {
            throw new IntakeException(instructions.Source ?? "source", ["no such local file, and no staging account is configured (Uploader:Staging:ConnectionString) to look for it there"]);
        }

        return await _services.GetRequiredService<UploadIntake>().FromRequestAsync(instructions, cancellationToken);
    }

    public void Dispose() => _services.Dispose();
}
