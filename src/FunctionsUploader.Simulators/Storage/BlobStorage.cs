using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using FunctionsUploader.Simulators.Inspection;
using FunctionsUploader.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Simulators.Storage;

/// <summary>
/// The Azure Blob account (Azurite in tests) behind MediaValet's upload SAS URLs and Prepr's received chunks. It
/// needs an account key: MediaValet hands out service SAS URLs signed with it.
/// </summary>
internal sealed class BlobStorage
{
    private readonly BlobServiceClient _service;
    private readonly TimeProvider _time;

    public BlobStorage(IOptions<SimulatorOptions> options, TimeProvider time)
    {
        var connectionString = options.Value.BlobConnectionString
            ?? throw new InvalidOperationException("Simulator:BlobConnectionString is not set: the MediaValet and Prepr simulators store bytes in Azure Blob (Azurite).");
        _service = new BlobServiceClient(connectionString, BlobClients.Options(maxRetries: 3));
        if (!_service.CanGenerateAccountSasUri)
        {
            throw new InvalidOperationException("Simulator:BlobConnectionString needs an AccountKey: the MediaValet simulator signs upload SAS URLs with it.");
        }

        _time = time;
        MediaValetContainer = options.Value.MediaValetContainer;
        PreprContainer = options.Value.PreprContainer;
    }

    public string MediaValetContainer { get; }

    public string PreprContainer { get; }

    public BlockBlobClient Blob(string container, string name) => _service.GetBlobContainerClient(container).GetBlockBlobClient(name);

    /// <summary>A service SAS URL that lets its holder create, write and read one blob until the lifetime ends.</summary>
    public Uri UploadUri(BlobBaseClient blob, TimeSpan lifetime) =>
        blob.GenerateSasUri(BlobSasPermissions.Read | BlobSasPermissions.Create | BlobSasPermissions.Write, ExpiryAfter(lifetime));

    public Uri ReadUri(BlobBaseClient blob, TimeSpan lifetime) => blob.GenerateSasUri(BlobSasPermissions.Read, ExpiryAfter(lifetime));

    /// <summary>A SAS expiry is whole seconds: round up, so a SAS never lives shorter than its configured lifetime.</summary>
    private DateTimeOffset ExpiryAfter(TimeSpan lifetime)
    {
        var expiry = _time.GetUtcNow() + lifetime;
        var whole = expiry.AddTicks(-(expiry.Ticks % TimeSpan.TicksPerSecond));
        return whole == expiry ? whole : whole.AddSeconds(1);
    }

    /// <summary>The blob's committed size and MD5, read back from storage; null when it does not exist.</summary>
    public async Task<Digest?> DigestAsync(BlobBaseClient blob, CancellationToken cancellationToken)
    {
        if (await BlobReads.PropertiesOrNullAsync(blob, cancellationToken) is not { } properties)
        {
            return null;
        }

        if (properties.ContentLength == 0)
        {
            return await ContentDigest.ComputeAsync(Stream.Null, cancellationToken: cancellationToken);
        }

        var options = new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } };
        var download = await BlobErrors.RunAsync("Get Blob", blob, () => blob.DownloadStreamingAsync(options, cancellationToken));
        await using var content = download.Value.Content;
        return await ContentDigest.ComputeAsync(content, cancellationToken: cancellationToken);
    }

    public async Task EnsureContainersAsync(CancellationToken cancellationToken)
    {
        await _service.GetBlobContainerClient(MediaValetContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _service.GetBlobContainerClient(PreprContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }
}
