using FunctionsUploader.Simulators.Tenants;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Vendors;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors.MediaValet;
using FunctionsUploader.Vendors.Panopto;
using FunctionsUploader.Vendors.Picovico;
using FunctionsUploader.Vendors.Prepr;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Tests.Vendors;

/// <summary>
/// Connectors configured for one simulator tenant, as a deployment's settings would configure them, with the HTTP
/// client a registration would hand them and transfer retries a test waits milliseconds for.
/// </summary>
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
        return new MediaValetConnector(options, http ?? Simulator.Http, ConnectorRun.QuickTransfer, loggers);
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
        return new PicovicoConnector(options, http ?? Simulator.Http, http ?? Simulator.Http, ConnectorRun.QuickTransfer, loggers);
    }

    /// <summary>Prepr with 1 MiB chunks, and a spent rate limit waited out for a second rather than a minute.</summary>
    public static PreprOptions PreprOptions(Simulator simulator, SimulatorTenant tenant) => new()
    {
        BaseUrl = simulator.Instance.Prepr,
        AccessToken = tenant.Credentials.Prepr.AccessToken,
        ChunkSize = 1024 * 1024,
        RateLimitWindow = TimeSpan.FromSeconds(1),
        Retry = QuickRetries,
    };

    public static PreprConnector Prepr(Simulator simulator, SimulatorTenant tenant, Action<PreprOptions>? configure = null, ILoggerFactory? loggers = null, HttpClient? http = null)
    {
        var options = PreprOptions(simulator, tenant);
        configure?.Invoke(options);
        return new PreprConnector(options, http ?? Simulator.Http, http ?? Simulator.Http, ConnectorRun.QuickTransfer, loggers);
    }

    /// <summary>Panopto with a folder of its own, the upload target's keys (s3rver checks them) and 5 MiB parts.</summary>
    public static PanoptoOptions PanoptoOptions(Simulator simulator, SimulatorTenant tenant)
    {
        var credentials = tenant.Credentials.Panopto;
        return new PanoptoOptions
        {
            ServerUrl = simulator.Instance.Panopto,
            ClientId = credentials.ClientId,
            ClientSecret = credentials.ClientSecret,
            Username = credentials.Username,
            Password = credentials.Password,
            FolderId = Guid.NewGuid(),
            UploadAccessKey = credentials.UploadAccessKey,
            UploadSecretKey = credentials.UploadSecretKey,
            PartSize = PartRules.S3MinPartSize,
            Retry = QuickRetries,
        };
    }

    public static PanoptoConnector Panopto(Simulator simulator, SimulatorTenant tenant, Action<PanoptoOptions>? configure = null, ILoggerFactory? loggers = null, HttpClient? http = null)
    {
        var options = PanoptoOptions(simulator, tenant);
        configure?.Invoke(options);
        return new PanoptoConnector(options, http ?? Simulator.Http, ConnectorRun.QuickTransfer, loggers);
    }
}
