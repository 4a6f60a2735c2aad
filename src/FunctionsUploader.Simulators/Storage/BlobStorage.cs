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
    private readonly StorageSharedKey _key;
    private readonly BlobAccount _account;
    private readonly TimeProvider _time;

    public BlobStorage(IOptions<SimulatorOptions> options, TimeProvider time)
    {
        var connectionString = options.Value.BlobConnectionString
            ?? throw new InvalidOperationException("Simulator:BlobConnectionString is not set: the MediaValet and Prepr simulators store bytes in Azure Blob (Azurite).");
        _key = StorageConnectionString.Parse(connectionString).SharedKey
            ?? throw new InvalidOperationException("Simulator:BlobConnectionString needs an AccountKey: the MediaValet simulator signs upload SAS URLs with it.");
        _account = BlobAccount.FromConnectionString(connectionString);
        _time = time;
        MediaValetContainer = options.Value.MediaValetContainer;
        PreprContainer = options.Value.PreprContainer;
    }

    public string MediaValetContainer { get; }

    public string PreprContainer { get; }

    public IBlobClient Blob(string container, string name) => _account.GetBlobClient(container, name);

    /// <summary>A service SAS URL that lets its holder create, write and read one blob until the lifetime ends.</summary>
    public Uri UploadUri(IBlobClient blob, TimeSpan lifetime) =>
        new(blob.Uri + "?" + BlobSas.Create(_key, blob.ContainerName, blob.Name, "rcw", ExpiryAfter(lifetime)));

    public Uri ReadUri(IBlobClient blob, TimeSpan lifetime) => blob.GenerateReadSasUri(ExpiryAfter(lifetime));

    /// <summary>A SAS expiry is whole seconds: round up, so a SAS never lives shorter than its configured lifetime.</summary>
    private DateTimeOffset ExpiryAfter(TimeSpan lifetime)
    {
        var expiry = _time.GetUtcNow() + lifetime;
        var whole = expiry.AddTicks(-(expiry.Ticks % TimeSpan.TicksPerSecond));
        return whole == expiry ? whole : whole.AddSeconds(1);
    }

    /// <summary>The blob's committed size and MD5, read back from storage; null when it does not exist.</summary>
    public async Task<Digest?> DigestAsync(IBlobClient blob, CancellationToken cancellationToken)
    {
        if (!await blob.ExistsAsync(cancellationToken))
        {
            return null;
        }

        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        if (properties.Length == 0)
        {
            return await ContentDigest.ComputeAsync(Stream.Null, cancellationToken: cancellationToken);
        }

        await using var content = await blob.OpenReadAsync(0, properties.Length, BlobConditions.IfUnchanged(properties.ETag), cancellationToken);
        return await ContentDigest.ComputeAsync(content, cancellationToken: cancellationToken);
    }

    public async Task EnsureContainersAsync(CancellationToken cancellationToken)
    {
        await _account.GetContainerClient(MediaValetContainer).CreateIfNotExistsAsync(cancellationToken);
        await _account.GetContainerClient(PreprContainer).CreateIfNotExistsAsync(cancellationToken);
    }
}
