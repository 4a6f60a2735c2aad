using FunctionsUploader.Activities;
using FunctionsUploader.Callbacks;
using FunctionsUploader.Intake;
using FunctionsUploader.Jobs;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Vendors.MediaValet;
using FunctionsUploader.Vendors.Panopto;
using FunctionsUploader.Vendors.Picovico;
using FunctionsUploader.Vendors.Prepr;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FunctionsUploader;

/// <summary>
/// The one service registration every host uses (the Functions app, the CLI, the tests), so they run the same
/// activities with the same settings. Settings live under "Uploader" (app settings: Uploader__Staging__Container).
/// </summary>
public static class UploaderServices
{
    public const string Section = "Uploader";

    public static IServiceCollection AddUploader(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        services.AddOptions<IntakeOptions>().Bind(section).Validate(o => o.Routes.All(r => r.Vendors.Count > 0), "Every route (Uploader:Routes:N) names at least one vendor.").ValidateOnStart();
        services.AddOptions<WorkflowSettings>().Bind(section.GetSection("Workflow")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowSettings>, WorkflowSettingsValidation>());
        services.AddOptions<JobStoreOptions>().Bind(section.GetSection("JobStore"));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new StagingAccount(sp.GetRequiredService<IOptions<IntakeOptions>>().Value.Staging));
        services.TryAddSingleton<IJobStore>(sp => sp.GetRequiredService<IOptions<JobStoreOptions>>().Value.Directory is { Length: > 0 } directory
            ? new FileJobStore(directory)
            : new BlobJobStore(sp.GetRequiredService<StagingAccount>().Jobs));

        var vendors = ConfiguredVendors(configuration);
        services.TryAddSingleton(sp => new UploadIntake(
            sp.GetRequiredService<StagingAccount>().Staging,
            sp.GetRequiredService<IOptions<IntakeOptions>>().Value,
            vendors,
            sp.GetRequiredService<IOptions<WorkflowSettings>>().Value));
        services.TryAddSingleton(sp => new VendorConnectors(sp, vendors));
        services.AddOptions<TransferOptions>().Bind(section.GetSection("Transfer")).ValidateDataAnnotations().ValidateOnStart();
        AddVendors(services, section.GetSection("Vendors"));

        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<TransferOptions>>().Value);
        services.TryAddSingleton(sp => new TransferEngine(sp.GetRequiredService<TransferOptions>(), sp.GetService<Microsoft.Extensions.Logging.ILogger<TransferEngine>>()));
        services.TryAddSingleton<JobDocuments>();
        services.TryAddSingleton<JobSources>();
        services.TryAddTransient<JobCancellation>();
        services.TryAddSingleton<LiveProgress>();
        services.TryAddSingleton<CallbackSender>();
        services.AddHttpClient(CallbackSender.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        foreach (var activity in UploadTasks.Activities)
        {
            services.TryAddTransient(activity);
        }

        return services;
    }

    /// <summary>Every vendor this app has a connector for: its section under Uploader:Vendors, options type and registration.</summary>
    private static readonly (string Section, Type Options, Action<IServiceCollection, IConfigurationSection> Register)[] Vendors =
    [
        ("MediaValet", typeof(MediaValetOptions), MediaValetConnector.Register),
        ("Panopto", typeof(PanoptoOptions), PanoptoConnector.Register),
        ("Picovico", typeof(PicovicoOptions), PicovicoConnector.Register),
        ("Prepr", typeof(PreprOptions), PreprConnector.Register),
    ];

    /// <summary>
    /// Every settings section the app binds, with the options type bound to it: what AddUploader reads, and what
    /// local.settings.sample.json must name, key for key (a test checks).
    /// </summary>
    public static IReadOnlyList<(string Section, Type Options)> Bindings { get; } =
    [
        (Section, typeof(IntakeOptions)),
        ($"{Section}:Workflow", typeof(WorkflowSettings)),
        ($"{Section}:JobStore", typeof(JobStoreOptions)),
        ($"{Section}:Transfer", typeof(TransferOptions)),
        .. Vendors.Select(v => ($"{Section}:Vendors:{v.Section}", v.Options)),
    ];

    /// <summary>
    /// The vendors configured under Uploader:Vendors, by lower-case name: the only ones a job may name. A section
    /// for a vendor this app does not know (a typo) stops the app at start instead of failing jobs later.
    /// </summary>
    public static IReadOnlyCollection<string> ConfiguredVendors(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var sections = configuration.GetSection($"{Section}:Vendors").GetChildren().Select(c => c.Key).ToList();
        var unknown = sections.Where(name => !Vendors.Any(v => string.Equals(v.Section, name, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            throw new OptionsValidationException(
                $"{Section}:Vendors",
                typeof(IntakeOptions),
                unknown.Select(name => $"{Section}:Vendors:{name} is not a vendor this app has a connector for (known: {string.Join(", ", Vendors.Select(v => v.Section))})."));
        }

        return [.. sections.Select(name => name.ToLowerInvariant()).Order(StringComparer.Ordinal)];
    }

    /// <summary>Registers the connector of each vendor that has a section, keyed by its lower-case name.</summary>
    private static void AddVendors(IServiceCollection services, IConfigurationSection vendors)
    {
        foreach (var vendor in Vendors)
        {
            vendor.Register(services, vendors.GetSection(vendor.Section));
        }
    }
}

/// <summary>Where the job store lives: a local folder (the CLI), or, when unset, the staging account's jobs container.</summary>
public sealed class JobStoreOptions
{
    public string? Directory { get; set; }
}

/// <summary>Refuses unusable workflow settings when the app starts, naming each setting, instead of failing jobs later.</summary>
internal sealed class WorkflowSettingsValidation : IValidateOptions<WorkflowSettings>
{
    public ValidateOptionsResult Validate(string? name, WorkflowSettings options) =>
        options.Problems($"{UploaderServices.Section}:Workflow") is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
