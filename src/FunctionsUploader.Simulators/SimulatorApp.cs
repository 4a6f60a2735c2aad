using FunctionsUploader.Simulators.Auth;
using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Simulators.Inspection;
using FunctionsUploader.Simulators.MediaValet;
using FunctionsUploader.Simulators.Panopto;
using FunctionsUploader.Simulators.Picovico;
using FunctionsUploader.Simulators.Prepr;
using FunctionsUploader.Simulators.Storage;
using FunctionsUploader.Simulators.Tenants;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Simulators;

/// <summary>The one composition of the simulators, shared by <see cref="VendorSimulator"/> (in-process) and Program (by hand).</summary>
internal static class SimulatorApp
{
    public static void AddSimulators(this WebApplicationBuilder builder, SimulatorOptions options)
    {
        // Prepr chunks are 50 MiB by default and are streamed to storage: no request body limit.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

        // ASP.NET Core's own request logs print query strings, which carry SAS signatures and Prepr's ?access_token=.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TenantRegistry>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<OAuthTokenEndpoint>();
        services.AddSingleton<BlobStorage>();
        services.AddSingleton<S3Storage>();

        services.AddVendor<MediaValetAuth, MediaValetLibrary>();
        services.AddSingleton<MediaValetUploads>();
        services.AddSingleton<MediaValetCheckIns>();

        services.AddVendor<PicovicoAuth, PicovicoDirectUploads>();
        services.AddSingleton<PicovicoLogin>();
        services.AddSingleton<PicovicoPartUrls>();

        services.AddVendor<PreprAuth, PreprAssets>();
        services.AddSingleton<PreprChunks>();
        services.AddSingleton<PreprRateLimit>();

        services.AddVendor<PanoptoAuth, PanoptoSessionUploads>();
        services.AddSingleton<S3Forwarder>();
        services.AddSingleton<PanoptoUploadTargets>();
    }

    public static void MapSimulators(this WebApplication app)
    {
        app.UseMiddleware<RequestRecorder>();
        app.MapGet("/", () => "FunctionsUploader vendor simulators: /mediavalet/, /picovico/, /prepr/, /panopto/; admin under /_sim/.");
        app.MapMediaValet();
        app.MapPicovico();
        app.MapPrepr();
        app.MapPanopto();

        var admin = app.MapGroup("/_sim");
        admin.MapTenants();
        admin.MapFaults();
        admin.MapInspection();
    }

    /// <summary>Creates the containers and the bucket the vendors store into.</summary>
    public static async Task PrepareStorageAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        await app.Services.GetRequiredService<BlobStorage>().EnsureContainersAsync(cancellationToken);
        await app.Services.GetRequiredService<S3Storage>().EnsureBucketAsync(cancellationToken);
    }

    private static void AddVendor<TAuth, TInspector>(this IServiceCollection services)
        where TAuth : class, IVendorAuth
        where TInspector : class, IAssetInspector
    {
        services.AddSingleton<TAuth>();
        services.AddSingleton<IVendorAuth>(provider => provider.GetRequiredService<TAuth>());
        services.AddSingleton<TInspector>();
        services.AddSingleton<IAssetInspector>(provider => provider.GetRequiredService<TInspector>());
    }
}
