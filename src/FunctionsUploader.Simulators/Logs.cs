
namespace FunctionsUploader.Simulators;

/// <summary>
/// Every log line the simulators write. None takes a credential, a token or a URL with its query string: paths are
/// logged without queries, tenants by id.
/// </summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Vendor simulators listening on {BaseUri}")]
    public static partial void Started(ILogger logger, Uri baseUri);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "No storage configured: started Azurite at {BlobEndpoint} and s3rver at {S3Endpoint}")]
    public static partial void StartedEmulators(ILogger logger, Uri blobEndpoint, Uri s3Endpoint);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "{Tenant} {Vendor}.{Operation}: {Method} {Path} -> {Status}")]
    public static partial void VendorRequest(ILogger logger, string tenant, SimulatedVendor vendor, string operation, string method, string path, int status);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Tenant} {Vendor}.{Operation}: fault fired: {Effect}")]
    public static partial void FaultFired(ILogger logger, string tenant, SimulatedVendor vendor, string operation, string effect);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "{Tenant} {Vendor} asset {AssetId} finalized: {Size} bytes")]
    public static partial void AssetFinalized(ILogger logger, string tenant, SimulatedVendor vendor, string assetId, long size);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Tenant} {Vendor} upload {AssetId} rejected: {Reason}")]
    public static partial void UploadRejected(ILogger logger, string tenant, SimulatedVendor vendor, string assetId, string reason);
}
