using FunctionsUploader.Transfer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Vendors;

/// <summary>What the host hands a connector it registers: HTTP clients of the vendor's connection pool, the transfer settings, logging, the clock.</summary>
public sealed class VendorHost(IServiceProvider services, string vendor)
{
    public TransferOptions Transfer => services.GetRequiredService<IOptions<TransferOptions>>().Value;

    public ILoggerFactory? Loggers => services.GetService<ILoggerFactory>();

    public TimeProvider? Time => services.GetService<TimeProvider>();

    /// <summary>A client whose <paramref name="timeout"/> bounds each request (infinite for part uploads, which the transfer engine times).</summary>
    public HttpClient CreateHttpClient(TimeSpan timeout)
    {
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(vendor);
        http.Timeout = timeout;
        return http;
    }
}
