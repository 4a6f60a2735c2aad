using System.Net.Http.Json;
using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Inspection;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Tests.Fixtures;

/// <summary>
/// The vendor simulators, started once per test run on a free loopback port over the shared emulators. Tests stay
/// apart by tenant: each creates its own (<see cref="NewTenant"/>) and so has its own assets, faults and request log.
/// </summary>
public sealed class Simulator : IAsyncLifetime
{
    private static readonly Lazy<Task<VendorSimulator>> Shared = new(() => StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);

    private VendorSimulator? _instance;

    /// <summary>One client for every test: what a connector would hold.</summary>
    public static HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public VendorSimulator Instance => _instance ?? throw new InvalidOperationException("The simulator fixture was not initialised.");

    public Emulators Emulators { get; } = new();

    public async Task InitializeAsync()
    {
        await Emulators.InitializeAsync();
        _instance = await Shared.Value;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public SimulatorTenant NewTenant(Action<TenantSettings>? configure = null)
    {
        var settings = new TenantSettings();
        configure?.Invoke(settings);
        return Instance.CreateTenant(settings);
    }

    /// <summary>A simulator of its own (for start-up options); the caller disposes it.</summary>
    public static async Task<VendorSimulator> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var emulators = new Emulators();
        await emulators.InitializeAsync();
        var options = new SimulatorOptions
        {
            BlobConnectionString = emulators.Local.BlobConnectionString,
            S3Endpoint = emulators.Local.S3Endpoint,
            S3Bucket = Emulators.S3Bucket,
        };
        configure?.Invoke(options);
        return await VendorSimulator.StartAsync(options);
    }

    public Uri Admin(string path) => new(Instance.BaseUri, "_sim/" + path);

    public async Task<AssetReport> InspectAsync(SimulatorTenant tenant, SimulatedVendor vendor, string id)
    {
        using var response = await Http.GetAsync(Admin($"tenants/{tenant.Id}/{vendor.RouteName()}/assets/{id}"));
        Assert.True(response.IsSuccessStatusCode, $"inspection of {vendor} asset {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<AssetReport>())!;
    }

    public async Task<IReadOnlyList<RequestRecord>> RequestsAsync(SimulatorTenant tenant) =>
        (await Http.GetFromJsonAsync<List<RequestRecord>>(Admin($"tenants/{tenant.Id}/requests")))!;

    /// <summary>Adds a fault rule (JSON as the admin endpoint takes it) to the tenant.</summary>
    public async Task AddFaultAsync(SimulatorTenant tenant, object rule)
    {
        using var response = await Http.PostAsJsonAsync(Admin($"tenants/{tenant.Id}/faults"), rule);
        Assert.True(response.IsSuccessStatusCode, $"adding fault rule: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
