using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace FunctionsUploader.Storage;

/// <summary>How every Azure.Storage.Blobs client of ours is configured, in one place.</summary>
public static class BlobClients
{
    /// <summary>
    /// The service version we speak: Azurite 3.37.0 refuses the 2026-10-06 the SDK sends by default, and the
    /// emulators run without --skipApiVersionCheck so that they check our requests as Azure would.
    /// </summary>
    public const BlobClientOptions.ServiceVersion ServiceVersion = BlobClientOptions.ServiceVersion.V2026_06_06;

    /// <summary>The scope storage tokens are issued for.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    /// <summary>
    /// Options with the pinned service version and <paramref name="maxRetries"/> SDK retries (0 where our own retry
    /// layer decides). Uploads hash with MD5, not CRC64: the SDK's CRC64 structured messages fail on Azurite, and
    /// Azure verifies an MD5 sent with a block. Ranged downloads skip the SDK's checksum (MD5 only covers ranges up
    /// to 4 MiB); our transfers check the bytes at the destination.
    /// </summary>
    public static BlobClientOptions Options(int maxRetries, HttpPipelineTransport? transport = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        var options = new BlobClientOptions(ServiceVersion);
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        options.TransferValidation.Upload.ChecksumAlgorithm = StorageChecksumAlgorithm.MD5;
        options.TransferValidation.Download.ChecksumAlgorithm = StorageChecksumAlgorithm.None;
        if (transport is not null)
        {
            options.Transport = transport;
        }

        return options;
    }

    /// <summary>A client for one blob behind a SAS URL (a vendor's upload URL); refuses a URL without a signature.</summary>
    public static BlockBlobClient ForSasUri(Uri sasUri, BlobClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(sasUri);
        if (string.IsNullOrEmpty(sasUri.Query) || !sasUri.Query.Contains("sig=", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The upload URL for {BlobSas.Redact(sasUri)} carries no SAS signature.", nameof(sasUri));
        }

        return new BlockBlobClient(sasUri, options);
    }
}
