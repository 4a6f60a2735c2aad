using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Vendors;

/// <summary>
/// How a vendor folder registers its connector from UploaderServices.AddVendors: only when the vendor's section
/// exists, with its options bound and validated at start, as a keyed singleton under its lower-case name.
/// </summary>
public static class VendorRegistration
{
    /// <summary>Connections are recycled after this long, so a long-lived connector still follows DNS changes.</summary>
    public static readonly TimeSpan ConnectionLifetime = TimeSpan.FromMinutes(5);

    public static void Add<TOptions>(IServiceCollection services, IConfigurationSection section, string name, Func<TOptions, VendorHost, IVendorConnector> create)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(section);
        if (!section.Exists())
        {
            return;
        }

        services.AddOptions<TOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        // The connector is a singleton that keeps its clients: connection lifetime, not handler rotation, keeps DNS fresh.
        services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = ConnectionLifetime })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddKeyedSingleton(name, (sp, _) => create(sp.GetRequiredService<IOptions<TOptions>>().Value, new VendorHost(sp, name)));
    }
}
