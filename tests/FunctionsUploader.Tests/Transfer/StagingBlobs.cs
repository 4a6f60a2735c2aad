using System.Security.Cryptography;
using FunctionsUploader.Simulators.Emulators;
using FunctionsUploader.Storage;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Tests.Transfer;

/// <summary>Staging sources and vendor-style destinations in Azurite, and the MD5 of what landed.</summary>
internal static class StagingBlobs
{
    public static async Task<BlobTransferSource> UploadAsync(IBlobContainerClient container, string name, byte[] data)
    {
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(new MemoryStream(data), data.Length);
        return await BlobTransferSource.OpenAsync(blob);
    }

    /// <summary>A service SAS that may create and write one blob: what MediaValet hands out as UploadUrl.</summary>
    public static Uri UploadUrl(IBlobClient blob)
    {
        var key = new StorageSharedKey(LocalEmulators.AzuriteAccountName, LocalEmulators.AzuriteAccountKey);
        return new Uri(blob.Uri + "?" + BlobSas.Create(key, blob.ContainerName, blob.Name, "rcw", DateTimeOffset.UtcNow.AddHours(1)));
    }

    public static async Task<string> Md5HexAsync(IBlobClient blob)
    {
        var length = (await blob.GetPropertiesAsync()).Length;
        if (length == 0)
        {
            return TestData.Md5Hex([]);
        }

        await using var content = await blob.OpenReadAsync(0, length);
        return Convert.ToHexStringLower(await MD5.HashDataAsync(content));
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

    public ServiceReadableSource? GetServiceReadableSource(TimeSpan validFor) =>
        rewriteUrl is null ? inner.GetServiceReadableSource(validFor) : rewriteUrl(inner.GetServiceReadableSource(validFor));
}
