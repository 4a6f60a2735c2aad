using FunctionsUploader.Simulators.Tenants;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Vendors;
using FunctionsUploader.Vendors.MediaValet;
using FunctionsUploader.Vendors.Picovico;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Tests.Vendors;

/// <summary>Connectors configured for one simulator tenant, as a deployment's settings would configure them.</summary>
internal static class SimulatedConnectors
{
    /// <summary>Quick retries that still honour Retry-After: a test waits milliseconds, not seconds, between attempts.</summary>
    public static VendorRetryOptions QuickRetries => new() { MaxRetries = 3, FirstDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(5) };

    public static MediaValetOptions MediaValetOptions(Simulator simulator, SimulatorTenant tenant)
    {
        var credentials = tenant.Credentials.MediaValet;
        return new MediaValetOptions
        {
            AuthUrl = simulator.Instance.MediaValet,
            ApiUrl = simulator.Instance.MediaValet,
            ClientId = credentials.ClientId,
            ClientSecret = credentials.ClientSecret,
            Username = credentials.Username,
            Password = credentials.Password,
            SubscriptionKey = credentials.SubscriptionKey,
            BlockSize = 1024 * 1024,
            Retry = QuickRetries,
        };
    }

    public static MediaValetConnector MediaValet(Simulator simulator, SimulatorTenant tenant, Action<MediaValetOptions>? configure = null, ILoggerFactory? loggers = null, HttpClient? http = null)
    {
        var options = MediaValetOptions(simulator, tenant);
        configure?.Invoke(options);
        return new MediaValetConnector(options, http ?? Simulator.Http, loggers: loggers);
    }

    public static PicovicoOptions PicovicoOptions(Simulator simulator, SimulatorTenant tenant)
    {
        var credentials = tenant.Credentials.Picovico;
        return new PicovicoOptions
        {
            BaseUrl = simulator.Instance.Picovico,
            AppId = credentials.AppId,
            Username = credentials.Username,
            Password = credentials.Password,
            Retry = QuickRetries,
        };
    }

    public static PicovicoConnector Picovico(Simulator simulator, SimulatorTenant tenant, Action<PicovicoOptions>? configure = null, ILoggerFactory? loggers = null, HttpClient? http = null)
    {
        var options = PicovicoOptions(simulator, tenant);
        configure?.Invoke(options);
        return new PicovicoConnector(options, http ?? Simulator.Http, http ?? Simulator.Http, loggers: loggers);
    }
}
