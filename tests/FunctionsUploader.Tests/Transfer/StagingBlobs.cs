using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Tests.Transfer;

/// <summary>Staging sources and vendor-style destinations in Azurite, and the MD5 of what landed.</summary>
internal static class StagingBlobs
{
    public static async Task<BlobTransferSource> UploadAsync(BlobContainerClient container, string name, byte[] data)
    {
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromBytes(data), overwrite: true);
        return await BlobTransferSource.OpenAsync(blob);
    }

    /// <summary>A service SAS that may create and write one blob: what MediaValet hands out as UploadUrl.</summary>
    public static Uri UploadUrl(BlobBaseClient blob) =>
        blob.GenerateSasUri(BlobSasPermissions.Read | BlobSasPermissions.Create | BlobSasPermissions.Write, DateTimeOffset.UtcNow.AddHours(1));

    public static async Task<string> Md5HexAsync(BlobBaseClient blob)
    {
        var content = (await blob.DownloadContentAsync()).Value.Content;
        return Convert.ToHexStringLower(MD5.HashData(content.ToMemory().Span));
    }
}

/// <summary>A source that counts the bytes this process reads from it, and can offer the destination another URL.</summary>
internal sealed class CountingSource(ITransferSource inner, Func<ServiceReadableSource?, ServiceReadableSource?>? rewriteUrl = null) : ITransferSource
{
    private long _bytesRead;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public string Name => inner.Name;

    public long Length => inner.Length;

    public async Task<Stream> OpenReadAsync(long offset, long length, CancellationToken cancellationToken = default) =>
        new ForwardOnlyStream(await inner.OpenReadAsync(offset, length, cancellationToken), read => Interlocked.Add(ref _bytesRead, read.Length));

    public async Task<ServiceReadableSource?> GetServiceReadableSourceAsync(TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        var readable = await inner.GetServiceReadableSourceAsync(validFor, cancellationToken);
        return rewriteUrl is null ? readable : rewriteUrl(readable);
    }
}
