using FunctionsUploader.Intake;
using FunctionsUploader.Simulators.Sandbox;
using FunctionsUploader.Simulators.Tenants;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Tests.EndToEnd;

/// <summary>
/// The vendor sandbox over the shared emulators, one per test class: the same settings the CLI's --sandbox uses,
/// so these tests prove what a newcomer runs. Small parts and batches make a few MiB cross several of each.
/// </summary>
public sealed class JobWorld : IAsyncLifetime
{
    public const int PreprChunk = 1024 * 1024;

    private VendorSandbox? _sandbox;

    public Emulators Emulators { get; } = new();

    public VendorSandbox Sandbox => _sandbox ?? throw new InvalidOperationException("The job world was not initialised.");

    public async Task InitializeAsync()
    {
        await Emulators.InitializeAsync();
        _sandbox = await VendorSandbox.StartAsync(Emulators.Local, new TenantSettings { ProcessingPolls = 1, PreprChunkSize = PreprChunk });
    }

    public async Task DisposeAsync()
    {
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }

    /// <summary>Settings for one test: the sandbox's, its own containers, fast retries, small parts and batches.</summary>
    public Dictionary<string, string?> Settings(string folder, IDictionary<string, string?>? overrides = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string?>(Sandbox.Settings())
        {
            ["Uploader:Staging:Container"] = "staging-" + suffix,
            ["Uploader:Staging:ProcessedContainer"] = "processed-" + suffix,
            ["Uploader:Staging:FailedContainer"] = "failed-" + suffix,
            ["Uploader:Staging:JobsContainer"] = "jobs-" + suffix,
            ["Uploader:Cli:StateDirectory"] = Path.Combine(folder, "state"),
            ["Uploader:Routes:0:Prefix"] = "mv/",
            ["Uploader:Routes:0:Vendors:0"] = "mediavalet",
            ["Uploader:Routes:1:Prefix"] = "pv/",
            ["Uploader:Routes:1:Vendors:0"] = "picovico",
            ["Uploader:Workflow:BatchBytes"] = (2 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
            ["Uploader:Workflow:CopyWindow"] = "3",
            ["Uploader:Workflow:ProcessingPollInterval"] = "00:00:00.050",
            ["Uploader:Vendors:MediaValet:BlockSize"] = (1024 * 1024).ToString(CultureInfo.InvariantCulture),
            ["Uploader:Vendors:Panopto:PartSize"] = (5 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in WorkflowRetryOptions.Fast().AsSettings("Uploader:Workflow:Retry"))
        {
            settings[key] = value;
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>
    /// The Functions app's own orchestration and activity functions on the real Durable engine, with services
    /// registered as the app registers them (AddUploader), over these settings.
    /// </summary>
    public async Task<JobHost> HostAsync(string folder, IDictionary<string, string?>? overrides = null)
    {
        var settings = Settings(folder, overrides);
        settings["Uploader:JobStore:Directory"] = Path.Combine(folder, "jobs");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new CapturedLogs();
        var functions = new AppFunctions();
        var app = await DurableHost.StartAsync(functions.Register, services => services.AddUploader(configuration), logs);
        functions.UseServices(app.Services);
        var staging = app.Services.GetRequiredService<StagingAccount>();
        await staging.Staging.CreateIfNotExistsAsync();
        return new JobHost(app, functions, staging, app.Services.GetRequiredService<IOptions<WorkflowSettings>>().Value, logs, settings);
    }
}

/// <summary>One test's Functions app on the engine, its staging containers and captured logs.</summary>
public sealed record JobHost(
    DurableHost App,
    AppFunctions Functions,
    StagingAccount Staging,
    WorkflowSettings Settings,
    CapturedLogs Logs,
    IReadOnlyDictionary<string, string?> Configuration) : IAsyncDisposable
{
    public IServiceProvider Services => App.Services;

    public UploadIntake Intake => Services.GetRequiredService<UploadIntake>();

    /// <summary>Runs a job on the engine, as the app's starters schedule it, to its end.</summary>
    public async Task<UploadResult> RunAsync(UploadJob job) => (await App.RunAsync(job)).Result;

    /// <summary>Drops a file in staging with its sidecar written first, as a user does; returns the jobs intake makes of it.</summary>
    public async Task<IReadOnlyList<UploadJob>> DropAsync(string name, byte[] data, string sidecarJson)
    {
        var sidecar = System.Text.Encoding.UTF8.GetBytes(sidecarJson);
        await Staging.Staging.GetBlobClient(name + UploadInstructions.SidecarSuffix).UploadAsync(BinaryData.FromBytes(sidecar), overwrite: true);
        await Staging.Staging.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(data), overwrite: true);
        return await Intake.FromBlobAsync(name);
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
