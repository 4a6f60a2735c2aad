using FunctionsUploader.Transfer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Vendors;

/// <summary>What every connector's Register does: options bound from its section and checked at start, the connector keyed by name.</summary>
internal static class VendorRegistration
{
    /// <summary>Nothing when <paramref name="section"/> does not exist: only configured vendors get a connector.</summary>
    public static void Add<TOptions>(
        IServiceCollection services,
        IConfigurationSection section,
        string name,
        Func<TOptions, TransferOptions?, ILoggerFactory?, TimeProvider?, IVendorConnector> create)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(section);
        if (!section.Exists())
        {
            return;
        }

        services.AddOptions<TOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddKeyedSingleton(name, (sp, _) => create(
            sp.GetRequiredService<IOptions<TOptions>>().Value,
            sp.GetService<IOptions<TransferOptions>>()?.Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
    }
}
