using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using FunctionsUploader.Simulators.Emulators;
using FunctionsUploader.Simulators.Inspection;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Sandbox;

/// <summary>
/// A complete local world for running real jobs without vendor accounts: Azurite and s3rver on free ports, the
/// vendor simulators over them, one tenant, and the Uploader settings that point every vendor at it. The CLI's
/// --sandbox and the end-to-end tests use it; disposing it stops everything.
/// </summary>
public sealed class VendorSandbox : IAsyncDisposable
{
    public const string S3Bucket = "uploads";

    /// <summary>The Panopto folder sandbox uploads go to (any GUID; the simulator keeps whatever it is given).</summary>
    public static readonly Guid PanoptoFolder = new("6f1c0b4e-7a52-4f5e-9a0e-2c1f4a9b8d37");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly bool _ownsEmulators;

    private VendorSandbox(LocalEmulators emulators, bool ownsEmulators, VendorSimulator simulator, SimulatorTenant tenant)
    {
        Emulators = emulators;
        _ownsEmulators = ownsEmulators;
        Simulator = simulator;
        Tenant = tenant;
    }

    public LocalEmulators Emulators { get; }

    public VendorSimulator Simulator { get; }

    public SimulatorTenant Tenant { get; }

    /// <summary>Starts emulators (installing them with npm on first use) and the simulators, with a fresh tenant.</summary>
    public static async Task<VendorSandbox> StartAsync(TenantSettings? settings = null, CancellationToken cancellationToken = default)
    {
        var emulators = await LocalEmulators.StartAsync(EmulatorInstallation.Locate(), [S3Bucket], cancellationToken);
        try
        {
            return await StartAsync(emulators, ownsEmulators: true, settings, cancellationToken);
        }
        catch
        {
            await emulators.DisposeAsync();
            throw;
        }
    }

    /// <summary>The simulators over emulators that are already running (tests share theirs); they stay running after.</summary>
    public static Task<VendorSandbox> StartAsync(LocalEmulators emulators, TenantSettings? settings = null, CancellationToken cancellationToken = default) =>
        StartAsync(emulators, ownsEmulators: false, settings, cancellationToken);

    /// <summary>
    /// The "Uploader" settings that send every vendor's calls to this sandbox with the tenant's credentials, and
    /// staging to Azurite. These are ordinary settings: the same keys configure real vendors.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings()
    {
        var credentials = Tenant.Credentials;
        return new Dictionary<string, string?>
        {
            ["Uploader:Staging:ConnectionString"] = Emulators.BlobConnectionString,
            ["Uploader:Vendors:MediaValet:AuthUrl"] = Simulator.MediaValet.AbsoluteUri,
            ["Uploader:Vendors:MediaValet:ApiUrl"] = Simulator.MediaValet.AbsoluteUri,
            ["Uploader:Vendors:MediaValet:ClientId"] = credentials.MediaValet.ClientId,
            ["Uploader:Vendors:MediaValet:ClientSecret"] = credentials.MediaValet.ClientSecret,
            ["Uploader:Vendors:MediaValet:Username"] = credentials.MediaValet.Username,
            ["Uploader:Vendors:MediaValet:Password"] = credentials.MediaValet.Password,
            ["Uploader:Vendors:MediaValet:SubscriptionKey"] = credentials.MediaValet.SubscriptionKey,
            ["Uploader:Vendors:Picovico:BaseUrl"] = Simulator.Picovico.AbsoluteUri,
            ["Uploader:Vendors:Picovico:AppId"] = credentials.Picovico.AppId,
            ["Uploader:Vendors:Picovico:Username"] = credentials.Picovico.Username,
            ["Uploader:Vendors:Picovico:Password"] = credentials.Picovico.Password,
            ["Uploader:Vendors:Prepr:BaseUrl"] = Simulator.Prepr.AbsoluteUri,
            ["Uploader:Vendors:Prepr:AccessToken"] = credentials.Prepr.AccessToken,
            // The largest chunk this tenant takes; the connector counts its own chunks, no reply names a size.
            ["Uploader:Vendors:Prepr:ChunkSize"] = Tenant.Settings.PreprChunkSize.ToString(CultureInfo.InvariantCulture),
            ["Uploader:Vendors:Panopto:ServerUrl"] = Simulator.Panopto.AbsoluteUri,
            ["Uploader:Vendors:Panopto:ClientId"] = credentials.Panopto.ClientId,
            ["Uploader:Vendors:Panopto:ClientSecret"] = credentials.Panopto.ClientSecret,
            ["Uploader:Vendors:Panopto:Username"] = credentials.Panopto.Username,
            ["Uploader:Vendors:Panopto:Password"] = credentials.Panopto.Password,
            ["Uploader:Vendors:Panopto:UploadAccessKey"] = credentials.Panopto.UploadAccessKey,
            ["Uploader:Vendors:Panopto:UploadSecretKey"] = credentials.Panopto.UploadSecretKey,
            ["Uploader:Vendors:Panopto:FolderId"] = PanoptoFolder.ToString(),
        };
    }

    /// <summary>What the vendor ended up with for <paramref name="assetId"/>: bytes' MD5 and size read back from storage, metadata, status.</summary>
    public Task<AssetReport> InspectAsync(string vendor, string assetId, CancellationToken cancellationToken = default) =>
        GetAsync<AssetReport>($"{vendor.ToLowerInvariant()}/assets/{Uri.EscapeDataString(assetId)}", cancellationToken);

    /// <summary>The ids of every asset the tenant has at <paramref name="vendor"/>.</summary>
    public Task<IReadOnlyList<string>> AssetIdsAsync(string vendor, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<string>>($"{vendor.ToLowerInvariant()}/assets", cancellationToken);

    /// <summary>Every request the tenant made, oldest first (method, path without query, status, fault).</summary>
    public Task<IReadOnlyList<RequestRecord>> RequestsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<RequestRecord>>("requests", cancellationToken);

    /// <summary>Adds a fault rule for the tenant (slow, failing or dropped answers), as POST /_sim/tenants/{id}/faults does.</summary>
    public async Task AddFaultAsync(Faults.FaultRule rule, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.PostAsJsonAsync(new Uri(Simulator.BaseUri, $"_sim/tenants/{Tenant.Id}/faults"), rule, Json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The simulator refused the fault rule: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>Removes every fault rule of the tenant, as DELETE /_sim/tenants/{id}/faults does.</summary>
    public async Task ClearFaultsAsync(CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.DeleteAsync(new Uri(Simulator.BaseUri, $"_sim/tenants/{Tenant.Id}/faults"), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.GetAsync(new Uri(Simulator.BaseUri, $"_sim/tenants/{Tenant.Id}/{path}"), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The simulator answered {(int)response.StatusCode} for {path}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        if (_ownsEmulators)
        {
            await Emulators.DisposeAsync();
        }
    }

    private static async Task<VendorSandbox> StartAsync(LocalEmulators emulators, bool ownsEmulators, TenantSettings? settings, CancellationToken cancellationToken)
    {
        var simulator = await VendorSimulator.StartAsync(
            new SimulatorOptions { BlobConnectionString = emulators.BlobConnectionString, S3Endpoint = emulators.S3Endpoint, S3Bucket = S3Bucket },
            cancellationToken);
        return new VendorSandbox(emulators, ownsEmulators, simulator, simulator.CreateTenant(settings));
    }
}
