using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;

namespace FunctionsUploader.Storage;

/// <summary>
/// Signs read SAS URLs with a user delegation key, for an account reached with a token credential (managed
/// identity): the app needs no account key. One key serves many URLs; a new one is fetched only when the cached
/// key would run out before the URL it signs.
/// </summary>
public sealed class UserDelegationSigner(BlobServiceClient service)
{
    // Azure caps a user delegation key at seven days; a day covers any batch of parts with room to spare.
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(1);

    // Clocks differ: a key and SAS valid from a few minutes ago work on a service whose clock is behind ours.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private UserDelegationKey? _key;

    public async Task<Uri> ReadUriAsync(BlobBaseClient blob, DateTimeOffset expiresOn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var key = await KeyAsync(expiresOn, cancellationToken);
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, expiresOn)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = DateTimeOffset.UtcNow - ClockSkew,
        };
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, blob.AccountName) }.ToUri();
    }

    private async Task<UserDelegationKey> KeyAsync(DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_key is { } cached && cached.SignedExpiresOn >= expiresOn)
            {
                return cached;
            }

            var now = DateTimeOffset.UtcNow;
            var until = expiresOn > now + KeyLifetime ? expiresOn : now + KeyLifetime;
            var response = await BlobErrors.RunAsync(
                "Get User Delegation Key", service.AccountName, () => service.GetUserDelegationKeyAsync(new BlobGetUserDelegationKeyOptions(until) { StartsOn = now - ClockSkew }, cancellationToken));
            return _key = response.Value;
        }
        finally
        {
            _gate.Release();
        }
    }
}
