using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Azure.Core;

namespace FunctionsUploader.Storage;

internal sealed class BlobContainerClient(BlobPipeline pipeline, Uri uri, string name) : IBlobContainerClient
{
    public Uri Uri { get; } = uri;

    public string Name { get; } = name;

    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await pipeline.SendAsync(
            "Create Container", Name, RequestMethod.Put, new Uri(Uri + "?restype=container"), null, [201, 409], cancellationToken);
        return response.Status == 201;
    }

    public async IAsyncEnumerable<BlobItem> ListBlobsAsync(string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            var query = "?restype=container&comp=list&include=metadata";
            if (!string.IsNullOrEmpty(prefix))
            {
                query += "&prefix=" + Uri.EscapeDataString(prefix);
            }

            if (!string.IsNullOrEmpty(marker))
            {
                query += "&marker=" + Uri.EscapeDataString(marker);
            }

            XElement root;
            using (var response = await pipeline.SendAsync("List Blobs", Name, RequestMethod.Get, new Uri(Uri + query), null, [200], cancellationToken))
            {
                root = XDocument.Load(response.ContentStream!).Root!;
            }

            foreach (var blob in root.Element("Blobs")?.Elements("Blob") ?? [])
            {
                var properties = blob.Element("Properties");
                yield return new BlobItem(
                    blob.Element("Name")!.Value,
                    long.Parse(properties?.Element("Content-Length")?.Value ?? "0", CultureInfo.InvariantCulture),
                    properties?.Element("Etag")?.Value ?? string.Empty,
                    DateTimeOffset.Parse(properties?.Element("Last-Modified")?.Value ?? "1970-01-01T00:00:00Z", CultureInfo.InvariantCulture),
                    properties?.Element("Content-MD5")?.Value is { Length: > 0 } md5 ? Convert.FromBase64String(md5) : null,
                    blob.Element("Metadata")?.Elements().ToDictionary(e => e.Name.LocalName, e => e.Value, StringComparer.OrdinalIgnoreCase)
                        ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
            }

            marker = root.Element("NextMarker")?.Value;
        }
        while (!string.IsNullOrEmpty(marker));
    }

    public IBlobClient GetBlobClient(string blobName)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        return new BlobClient(pipeline, BlobAddress.BlobUri(Uri, blobName), Name, blobName);
    }
}
