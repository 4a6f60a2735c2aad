using FunctionsUploader.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsUploader.Vendors;

/// <summary>The configured connectors, by name (keyed services registered by <see cref="UploaderServices"/>).</summary>
public sealed class VendorConnectors(IServiceProvider services, IReadOnlyCollection<string> configured)
{
    public IReadOnlyCollection<string> Names => configured;

    public IVendorConnector Get(string vendor) =>
        services.GetKeyedService<IVendorConnector>(vendor.ToLowerInvariant())
        ?? throw new PermanentFailureException($"Vendor '{vendor}' is not configured here (configured: {string.Join(", ", configured)}).");
}
