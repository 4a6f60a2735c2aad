using FunctionsUploader.Activities;
using FunctionsUploader.Cli.Engine;
using FunctionsUploader.Intake;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Cli;

/// <summary>Configuration, services and the state folder for one CLI invocation; opens the engine over them.</summary>
internal sealed class CliHost : IDisposable
{
    private readonly ServiceProvider _services;

    private CliHost(IConfiguration configuration, ServiceProvider services, CliOptions options, string stateDirectory)
    {
        _services = services;
        Options = options;
        StateDirectory = stateDirectory;
        Vendors = UploaderServices.ConfiguredVendors(configuration);
        Settings = services.GetRequiredService<IOptions<WorkflowSettings>>().Value;
    }

    public CliOptions Options { get; }

    public string StateDirectory { get; }

    public IReadOnlyCollection<string> Vendors { get; }

    public WorkflowSettings Settings { get; }

    public IServiceProvider Services => _services;

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

        var options = configuration.GetSection(CliOptions.Section).Get<CliOptions>() ?? new CliOptions();
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new SetupException(string.Join(" ", problems));
        }

        var stateDirectory = Directory.CreateDirectory(options.StateDirectory is { Length: > 0 } dir ? dir : CliOptions.DefaultStateDirectory()).FullName;
        var services = new ServiceCollection()
            .AddLogging(logging => logging
                .SetMinimumLevel(LogLevel.Warning)
                // The engine's own logs (lease, queue and replay chatter; activity failures with stack traces, which
                // reach the user as the job's result) stay quiet unless Logging:LogLevel turns them on.
                .AddFilter("DurableTask", LogLevel.Critical)
                .AddFilter("Microsoft.DurableTask", LogLevel.None)
                .AddConfiguration(configuration.GetSection("Logging"))
                .AddSimpleConsole(console => console.SingleLine = true))
            .AddUploader(configuration);
        // stdout carries only results (--json): every log line goes to stderr.
        services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        services.Configure<JobStoreOptions>(o => o.Directory ??= Directory.CreateDirectory(Path.Combine(stateDirectory, "jobs")).FullName);
        return new CliHost(configuration, services.BuildServiceProvider(), options, stateDirectory);
    }

    /// <summary>
    /// The engine over the state account. <paramref name="runJobs"/>: this process runs the worker (and so must own
    /// the state); otherwise it only reads and ends jobs, alongside a process that runs them. The engine takes over
    /// <paramref name="account"/> when one was opened ahead (see <see cref="OpenStateAsync"/>).
    /// </summary>
    public async Task<JobEngine> OpenEngineAsync(bool runJobs, CancellationToken cancellationToken, StateAccount? account = null)
    {
        account ??= await OpenStateAsync(runJobs, cancellationToken);
        var engine = await JobEngine.OpenAsync(account, Options, _services.GetRequiredService<ILoggerFactory>(), _services.GetRequiredService<LiveProgress>());
        if (runJobs)
        {
            try
            {
                await engine.StartWorkerAsync(_services);
            }
            catch
            {
                await engine.DisposeAsync();
                throw;
            }
        }

        return engine;
    }

    /// <summary>The engine's state account: opened on its own, it can start while other things do.</summary>
    public Task<StateAccount> OpenStateAsync(bool runJobs, CancellationToken cancellationToken) =>
        StateAccount.OpenAsync(Options, StateDirectory, exclusive: runJobs, cancellationToken);

    /// <summary>The jobs for every source, in the order given; the first source that cannot be taken stops them all, before any starts.</summary>
    public async Task<IReadOnlyList<UploadJob>> JobsForAsync(IEnumerable<UploadInstructions> instructions, CancellationToken cancellationToken)
    {
        var jobs = new List<UploadJob>();
        foreach (var one in instructions)
        {
            jobs.AddRange(await JobsForAsync(one, cancellationToken));
        }

        var repeated = jobs.GroupBy(j => j.JobId).FirstOrDefault(g => g.Count() > 1);
        return repeated is null ? jobs : throw new IntakeException(repeated.Key, ["two of the sources given make this same job (the same file twice?); give each file once"]);
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
