using System.Net;
using FunctionsUploader.Simulators.Tenants;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace FunctionsUploader.Simulators;

/// <summary>
/// The four vendor simulators in one ASP.NET Core app on a free loopback port, started in-process (tests, the CLI
/// sandbox, benchmarks). Dispose to stop it. Give every test its own tenant (<see cref="CreateTenant"/>): tenants
/// never see each other's assets, fault rules or request logs.
/// </summary>
public sealed class VendorSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TenantRegistry _tenants;

    private VendorSimulator(WebApplication app, Uri baseUri)
    {
        _app = app;
        _tenants = app.Services.GetRequiredService<TenantRegistry>();
        BaseUri = baseUri;
    }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUri { get; }

    /// <summary>Base of both MediaValet's login service (connect/token) and its API (uploads, assets).</summary>
    public Uri MediaValet => VendorUri(SimulatedVendor.MediaValet);

    /// <summary>Base of Picovico's API (login, me/...).</summary>
    public Uri Picovico => VendorUri(SimulatedVendor.Picovico);

    /// <summary>Base of Prepr's REST API (assets).</summary>
    public Uri Prepr => VendorUri(SimulatedVendor.Prepr);

    /// <summary>The Panopto server: Panopto/oauth2/connect/token and Panopto/PublicAPI/REST/... below it.</summary>
    public Uri Panopto => VendorUri(SimulatedVendor.Panopto);

    /// <summary>The tenant with <see cref="SimulatorOptions.DefaultCredentials"/>.</summary>
    public SimulatorTenant DefaultTenant => _tenants.Default.ToPublic();

    public Uri VendorUri(SimulatedVendor vendor) => new(BaseUri, vendor.RouteName() + "/");

    /// <summary>A new tenant with fresh credentials; <paramref name="settings"/> replaces the defaults when given.</summary>
    public SimulatorTenant CreateTenant(TenantSettings? settings = null)
    {
        if (settings?.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }

        return _tenants.Create(settings).ToPublic();
    }

    /// <summary>Starts the simulators on 127.0.0.1 and a free port, storing bytes where <paramref name="options"/> says.</summary>
    public static async Task<VendorSimulator> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(VendorSimulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.AddSimulators(options);

        var app = builder.Build();
        app.MapSimulators();
        try
        {
            await app.PrepareStorageAsync(cancellationToken);
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var simulator = new VendorSimulator(app, new Uri(address.TrimEnd('/') + "/"));
        Logs.Started(app.Logger, simulator.BaseUri);
        return simulator;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
