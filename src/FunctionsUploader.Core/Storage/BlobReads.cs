using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace FunctionsUploader.Storage;

/// <summary>Reads of small blobs (sidecars, job documents, error reports) with the blob named in any failure.</summary>
public static class BlobReads
{
    /// <summary>The blob's properties, or null when it does not exist.</summary>
    public static async Task<BlobProperties?> PropertiesOrNullAsync(BlobBaseClient blob, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await BlobErrors.RunAsync("Get Blob Properties", blob, () => blob.GetPropertiesAsync(cancellationToken: cancellationToken))).Value;
        }
        catch (BlobStorageException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The whole content of the version <paramref name="properties"/> describes: a newer version fails the read.</summary>
    public static async Task<BinaryData> ContentAsync(BlobBaseClient blob, BlobProperties properties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var options = new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } };
        var content = await BlobErrors.RunAsync("Get Blob", blob, () => blob.DownloadContentAsync(options, cancellationToken));
        return content.Value.Content;
    }
}
