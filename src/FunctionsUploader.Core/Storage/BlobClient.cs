using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace FunctionsUploader.Storage;

internal sealed class BlobClient(BlobPipeline pipeline, Uri uri, string containerName, string name) : IBlobClient
{
    private static readonly TimeSpan CopyPollInterval = TimeSpan.FromMilliseconds(500);

    public Uri Uri { get; } = uri;

    public string ContainerName { get; } = containerName;

    public string Name { get; } = name;

    public bool CanGenerateSas => pipeline.SharedKey is not null;

    private string Resource => $"{ContainerName}/{Name}";

    public async Task<BlobProperties> GetPropertiesAsync(BlobConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync("Get Blob Properties", RequestMethod.Head, null, r => Apply(r, conditions), [200], cancellationToken);
        return ReadProperties(response);
    }

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync("Get Blob Properties", RequestMethod.Head, null, null, [200, 404], cancellationToken);
        return response.Status == 200;
    }

    public async Task<Stream> OpenReadAsync(long offset, long length, BlobConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return await pipeline.SendForStreamAsync(
            "Get Blob",
            Resource,
            RequestMethod.Get,
            Uri,
            r =>
            {
                r.Headers.SetValue("x-ms-range", $"bytes={offset}-{offset + length - 1}");
                Apply(r, conditions);
            },
            [200, 206],
            response => CheckRange(response, offset),
            cancellationToken);
    }

    public async Task<BlobWriteResult> UploadAsync(Stream content, long length, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var response = await SendAsync(
            "Put Blob",
            RequestMethod.Put,
            null,
            r =>
            {
                r.Headers.SetValue("x-ms-blob-type", "BlockBlob");
                r.Content = Body(content, length);
                if (options?.ContentMd5 is { } md5)
                {
                    r.Headers.SetValue("Content-MD5", Convert.ToBase64String(md5));
                }

                if (options?.BlobContentMd5 is { } blobMd5)
                {
                    r.Headers.SetValue("x-ms-blob-content-md5", Convert.ToBase64String(blobMd5));
                }

                ApplyBlobHeaders(r, options);
            },
            [201],
            cancellationToken);
        return new BlobWriteResult(ETagOf(response), Md5Of(response));
    }

    public async Task<BlockWriteResult> StageBlockAsync(string blockId, Stream content, long length, byte[]? contentMd5 = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var response = await SendAsync(
            "Put Block",
            RequestMethod.Put,
            "?comp=block&blockid=" + Uri.EscapeDataString(blockId),
            r =>
            {
                r.Content = Body(content, length);
                if (contentMd5 is not null)
                {
                    r.Headers.SetValue("Content-MD5", Convert.ToBase64String(contentMd5));
                }
            },
            [201],
            cancellationToken);
        return new BlockWriteResult(Md5Of(response), Crc64Of(response));
    }

    public async Task<BlockWriteResult> StageBlockFromUriAsync(string blockId, Uri source, long offset, long length, BlobConditions? sourceConditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var response = await SendAsync(
            "Put Block From URL",
            RequestMethod.Put,
            "?comp=block&blockid=" + Uri.EscapeDataString(blockId),
            r =>
            {
                r.Headers.SetValue("x-ms-copy-source", source.AbsoluteUri);
                r.Headers.SetValue("x-ms-source-range", $"bytes={offset}-{offset + length - 1}");
                ApplySource(r, sourceConditions);
                r.Content = RequestContent.Create(ReadOnlyMemory<byte>.Empty); // Azurite requires Content-Length: 0.
            },
            [201],
            cancellationToken);
        return new BlockWriteResult(Md5Of(response), Crc64Of(response));
    }

    public async Task<BlockList> GetBlockListAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync("Get Block List", RequestMethod.Get, "?comp=blocklist&blocklisttype=all", null, [200, 404], cancellationToken);
        if (response.Status == 404)
        {
            return BlockList.Empty;
        }

        var root = XDocument.Load(response.ContentStream!).Root!;
        static IReadOnlyList<BlockInfo> Blocks(XElement? list) =>
            list?.Elements("Block").Select(b => new BlockInfo(b.Element("Name")!.Value, long.Parse(b.Element("Size")!.Value, CultureInfo.InvariantCulture))).ToList()
            ?? [];
        return new BlockList(Blocks(root.Element("CommittedBlocks")), Blocks(root.Element("UncommittedBlocks")));
    }

    public async Task<BlobWriteResult> CommitBlockListAsync(IReadOnlyList<string> blockIds, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blockIds);
        var body = new XDocument(new XElement("BlockList", blockIds.Select(id => new XElement("Latest", id)))).ToString(SaveOptions.DisableFormatting);
        using var response = await SendAsync(
            "Put Block List",
            RequestMethod.Put,
            "?comp=blocklist",
            r =>
            {
                r.Content = RequestContent.Create(BinaryData.FromString(body));
                r.Headers.SetValue("Content-Type", "application/xml");
                if (options?.BlobContentMd5 is { } md5)
                {
                    r.Headers.SetValue("x-ms-blob-content-md5", Convert.ToBase64String(md5));
                }

                ApplyBlobHeaders(r, options);
            },
            [201],
            cancellationToken);
        return new BlobWriteResult(ETagOf(response), Md5Of(response));
    }

    public async Task<BlobProperties> CopyFromAsync(Uri source, BlobConditions? sourceConditions = null, BlobConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        string copyStatus;
        using (var response = await SendAsync(
                   "Copy Blob",
                   RequestMethod.Put,
                   null,
                   r =>
                   {
                       r.Headers.SetValue("x-ms-copy-source", source.AbsoluteUri);
                       ApplySource(r, sourceConditions);
                       Apply(r, conditions);
                   },
                   [202],
                   cancellationToken))
        {
            copyStatus = response.Headers.TryGetValue("x-ms-copy-status", out var status) ? status : "success";
        }

        while (true)
        {
            var properties = await GetPropertiesAsync(cancellationToken: cancellationToken);
            copyStatus = properties.CopyStatus ?? copyStatus;
            switch (copyStatus)
            {
                case "success":
                    return properties;
                case "pending":
                    await Task.Delay(CopyPollInterval, cancellationToken);
                    break;
                default:
                    throw new BlobStorageException(
                        $"Copy Blob to {Resource} from {BlobSas.Redact(source)} ended as '{copyStatus}': {properties.CopyStatusDescription}");
            }
        }
    }

    public async Task<bool> DeleteIfExistsAsync(BlobConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync("Delete Blob", RequestMethod.Delete, null, r => Apply(r, conditions), [202, 404], cancellationToken);
        return response.Status == 202;
    }

    public Uri GenerateReadSasUri(DateTimeOffset expiresOn)
    {
        var key = pipeline.SharedKey
            ?? throw new InvalidOperationException($"Cannot sign a SAS for {Resource}: the storage connection has no account key.");
        return new Uri(Uri + "?" + BlobSas.Create(key, ContainerName, Name, "r", expiresOn));
    }

    private Task<Response> SendAsync(string operation, RequestMethod method, string? query, Action<Request>? configure, int[] expected, CancellationToken cancellationToken) =>
        pipeline.SendAsync(operation, Resource, method, query is null ? Uri : new Uri(Uri + query), configure, expected, cancellationToken);

    private RequestContent Body(Stream content, long length) =>
        content.CanSeek && content.Length - content.Position == length
            ? RequestContent.Create(content)
            : new ForwardOnlyContent(content, length, pipeline.CopyBufferSize);

    /// <summary>
    /// A server that ignores the range (200) or answers another one must not hand us the wrong bytes:
    /// Azure answers 416 for a range past the end, and some servers (Azurite) answer 200 with the whole blob.
    /// </summary>
    private void CheckRange(Response response, long offset)
    {
        long start = 0;
        var total = response.Headers.ContentLengthLong ?? 0;
        if (response.Status == 206 && response.Headers.TryGetValue("Content-Range", out var range))
        {
            // "bytes <start>-<end>/<total>"
            var parts = range["bytes ".Length..].Split('-', '/');
            start = long.Parse(parts[0], CultureInfo.InvariantCulture);
            total = long.Parse(parts[2], CultureInfo.InvariantCulture);
        }

        if (start != offset || offset >= total)
        {
            throw offset >= total
                ? BlobStorageException.InvalidRange("Get Blob", Resource, offset, total)
                : new BlobStorageException($"Get Blob for {Resource} asked for bytes from {offset} and was answered from {start}; nothing was read.");
        }
    }

    private static void Apply(Request request, BlobConditions? conditions)
    {
        if (conditions?.IfMatch is { } ifMatch)
        {
            request.Headers.SetValue("If-Match", ifMatch);
        }

        if (conditions?.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.SetValue("If-None-Match", ifNoneMatch);
        }
    }

    private static void ApplySource(Request request, BlobConditions? sourceConditions)
    {
        if (sourceConditions?.IfMatch is { } sourceEtag)
        {
            request.Headers.SetValue("x-ms-source-if-match", sourceEtag);
        }
    }

    private static void ApplyBlobHeaders(Request request, BlobUploadOptions? options)
    {
        if (options?.ContentType is { } contentType)
        {
            request.Headers.SetValue("x-ms-blob-content-type", contentType);
        }

        foreach (var (key, value) in options?.Metadata ?? new Dictionary<string, string>())
        {
            request.Headers.SetValue("x-ms-meta-" + key, value);
        }

        Apply(request, options?.Conditions);
    }

    private static BlobProperties ReadProperties(Response response)
    {
        var headers = response.Headers;
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers)
        {
            if (header.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name["x-ms-meta-".Length..]] = header.Value;
            }
        }

        headers.TryGetValue("Content-Type", out var contentType);
        headers.TryGetValue("x-ms-copy-status", out var copyStatus);
        headers.TryGetValue("x-ms-copy-status-description", out var copyDescription);
        return new BlobProperties(
            headers.ContentLengthLong ?? 0,
            ETagOf(response),
            headers.TryGetValue("Last-Modified", out var modified) ? DateTimeOffset.Parse(modified, CultureInfo.InvariantCulture) : default,
            contentType,
            Md5Of(response),
            metadata,
            copyStatus,
            copyDescription);
    }

    private static string ETagOf(Response response) =>
        response.Headers.ETag?.ToString("H") ?? string.Empty;

    private static byte[]? Md5Of(Response response) =>
        response.Headers.TryGetValue("Content-MD5", out var md5) && md5.Length > 0 ? Convert.FromBase64String(md5) : null;

    private static byte[]? Crc64Of(Response response) =>
        response.Headers.TryGetValue("x-ms-content-crc64", out var crc) && crc.Length > 0 ? Convert.FromBase64String(crc) : null;
}
