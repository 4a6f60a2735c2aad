using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsUploader.Storage;

/// <summary>
/// One storage account's blob endpoint with its credential: a connection string (account key or SAS,
/// including UseDevelopmentStorage=true), or a TokenCredential (managed identity, Azure CLI, ...).
/// </summary>
public sealed class BlobAccount
{
    /// <summary>The scope storage tokens are issued for.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    private readonly BlobPipeline _pipeline;

    private BlobAccount(Uri endpoint, BlobPipeline pipeline)
    {
        Endpoint = endpoint;
        _pipeline = pipeline;
    }

    /// <summary>The account's blob endpoint, ending in '/'.</summary>
    public Uri Endpoint { get; }

    public static BlobAccount FromConnectionString(string connectionString, BlobClientOptions? options = null)
    {
        var parsed = StorageConnectionString.Parse(connectionString);
        options ??= new BlobClientOptions();
        HttpPipelinePolicy auth = parsed.SharedKey is { } key ? new SharedKeyPolicy(key) : new SasPolicy(parsed.SharedAccessSignature!);
        return new BlobAccount(parsed.BlobEndpoint, BlobPipeline.Create(options, auth, parsed.SharedKey));
    }

    public static BlobAccount FromTokenCredential(Uri blobEndpoint, TokenCredential credential, BlobClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(blobEndpoint);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new BlobClientOptions();
        var auth = new BearerTokenAuthenticationPolicy(credential, StorageScope);
        var endpoint = blobEndpoint.AbsolutePath.EndsWith('/') ? blobEndpoint : new UriBuilder(blobEndpoint) { Path = blobEndpoint.AbsolutePath + "/" }.Uri;
        return new BlobAccount(endpoint, BlobPipeline.Create(options, auth, sharedKey: null));
    }

    /// <summary>
    /// A client for one blob addressed by a SAS URL (a vendor's upload URL): the SAS travels with each
    /// request and never appears in <see cref="IBlobClient.Uri"/>, logs or errors.
    /// </summary>
    public static IBlobClient ForBlobSasUri(Uri sasUri, BlobClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sasUri);
        if (string.IsNullOrEmpty(sasUri.Query) || !sasUri.Query.Contains("sig=", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The upload URL for {BlobSas.Redact(sasUri)} carries no SAS signature.", nameof(sasUri));
        }

        var pipeline = BlobPipeline.Create(options ?? new BlobClientOptions(), new SasPolicy(sasUri.Query.TrimStart('?')), sharedKey: null);
        var (container, blob) = BlobAddress.Split(sasUri);
        return new BlobClient(pipeline, new Uri(sasUri.GetLeftPart(UriPartial.Path)), container, blob);
    }

    public IBlobContainerClient GetContainerClient(string containerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerName);
        return new BlobContainerClient(_pipeline, new Uri(Endpoint, Uri.EscapeDataString(containerName)), containerName);
    }

    public IBlobClient GetBlobClient(string containerName, string blobName) =>
        GetContainerClient(containerName).GetBlobClient(blobName);
}

/// <summary>Blob URL layout: host-style (account.blob.core.windows.net/container/blob) or path-style for IP hosts (emulators).</summary>
internal static class BlobAddress
{
    public static Uri BlobUri(Uri containerUri, string blobName) =>
        new(containerUri.GetLeftPart(UriPartial.Path) + "/" + string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString)));

    public static (string Container, string Blob) Split(Uri blobUri)
    {
        var segments = blobUri.AbsolutePath.TrimStart('/').Split('/');
        var skip = IsPathStyle(blobUri) ? 1 : 0;
        if (segments.Length < skip + 2)
        {
            throw new ArgumentException($"{BlobSas.Redact(blobUri)} does not name a container and a blob.", nameof(blobUri));
        }

        return (Uri.UnescapeDataString(segments[skip]), string.Join('/', segments.Skip(skip + 1).Select(Uri.UnescapeDataString)));
    }

    private static bool IsPathStyle(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || uri.IsLoopback;
}
