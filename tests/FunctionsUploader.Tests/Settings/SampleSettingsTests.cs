using System.Text.Json;
using FunctionsUploader.Intake;
using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Tests.Settings;

public sealed class SampleSettingsTests
{
    /// <summary>Settings the Functions host itself reads, not the app's code.</summary>
    private static readonly string[] HostSettings = ["AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "StagingStorage"];

    [Fact]
    public void The_sample_settings_name_exactly_the_keys_the_code_binds()
    {
        var bound = UploaderServices.Bindings.SelectMany(b => SettingsKeys.Of(b.Section, b.Options)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sample = SampleKeys();

        var missing = bound.Where(key => !sample.Any(s => Matches(key, s))).Order().ToList();
        var unknown = sample.Where(s => !bound.Any(key => Matches(key, s))).Order().ToList();

        Assert.True(missing.Count == 0, "local.settings.sample.json lacks: " + string.Join(", ", missing));
        Assert.True(unknown.Count == 0, "local.settings.sample.json names settings no code reads: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_sample_settings_point_at_azurite_and_hold_no_real_secret()
    {
        var values = SampleValues();

        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.Equal("UseDevelopmentStorage=true", values["Uploader__Staging__ConnectionString"]);
        Assert.All(values.Where(v => v.Key.EndsWith("Url", StringComparison.Ordinal) && v.Value.Length > 0), v => Assert.StartsWith("http://127.0.0.1:", v.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void The_sample_settings_bind_validate_and_build_every_connector()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(SampleValues().Select(v => new KeyValuePair<string, string?>(v.Key.Replace("__", ":", StringComparison.Ordinal), v.Value)))
            .Build();
        // As the Functions host builds it in Development (func start): every registration resolvable, scopes checked.
        using var services = new ServiceCollection().AddLogging().AddUploader(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var connectors = services.GetRequiredService<VendorConnectors>();
        Assert.Equal(["mediavalet", "panopto", "picovico", "prepr"], connectors.Names);
        Assert.All(connectors.Names, name => Assert.Equal(name, connectors.Get(name).Name));
        var intake = services.GetRequiredService<IOptions<IntakeOptions>>().Value;
        Assert.Equal("mediavalet/", Assert.Single(intake.Routes).Prefix);
        Assert.Equal(TimeSpan.FromSeconds(30), services.GetRequiredService<IOptions<WorkflowSettings>>().Value.ProcessingPollInterval);
        Assert.Equal(8, services.GetRequiredService<IOptions<WorkflowSettings>>().Value.Retry.Archive.MaxAttempts);
    }

    [Fact]
    public void Unusable_workflow_settings_are_refused_at_start_naming_each_setting()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Uploader:Workflow:CopyWindow"] = "0",
                ["Uploader:Workflow:Retry:CopyBatch:BackoffCoefficient"] = "0.5",
                ["Uploader:Workflow:Retry:Commit:MaxAttempts"] = "0",
                ["Uploader:Workflow:Retry:Archive:MaxInterval"] = "00:00:01",
            })
            .Build();
        using var services = new ServiceCollection().AddUploader(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WorkflowSettings>>().Value);

        Assert.Equal(
            [
                "Uploader:Workflow:CopyWindow must be at least 1 (it is 0).",
                "Uploader:Workflow:Retry:CopyBatch:BackoffCoefficient must be at least 1 (it is 0.5).",
                "Uploader:Workflow:Retry:Commit:MaxAttempts must be at least 1 (it is 0).",
                "Uploader:Workflow:Retry:Archive:MaxInterval (00:00:01) must not be shorter than FirstInterval (00:00:05).",
            ],
            error.Failures);
    }

    [Fact]
    public void A_settings_section_for_a_vendor_without_a_connector_stops_the_app_at_start()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Uploader:Vendors:MediaVallet:ClientId"] = "typo" })
            .Build();

        var error = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddUploader(configuration));

        Assert.Contains("Uploader:Vendors:MediaVallet is not a vendor this app has a connector for (known: MediaValet, Panopto, Picovico, Prepr)", error.Message, StringComparison.Ordinal);
    }

    private static bool Matches(string bound, string sample) =>
        bound.EndsWith(":*", StringComparison.Ordinal)
            ? sample.StartsWith(bound[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(bound, sample, StringComparison.OrdinalIgnoreCase);

    private static List<string> SampleKeys() =>
        [.. SampleValues().Keys
            .Where(k => !HostSettings.Contains(k) && !(k.StartsWith("AzureWebJobs.", StringComparison.Ordinal) && k.EndsWith(".Disabled", StringComparison.Ordinal)))
            .Select(k => k.Replace("__", ":", StringComparison.Ordinal))];

    private static Dictionary<string, string> SampleValues()
    {
        var path = Path.Combine(TestData.RepositoryRoot(), "local.settings.sample.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }
}
