using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;

namespace FunctionsUploader.Storage;

/// <summary>Read URLs for one blob that another storage service can use (Put Block From URL), and their safe spelling in logs.</summary>
public static class BlobSas
{
    /// <summary>A URL for logs and messages: scheme, host and path, never the query string that carries a signature.</summary>
    public static string Redact(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.GetLeftPart(UriPartial.Path);
    }

    /// <summary>
    /// A read-only URL for <paramref name="blob"/> until <paramref name="expiresOn"/>: a service SAS when the client
    /// holds the account key, a user delegation SAS when <paramref name="delegation"/> is given (a token credential),
    /// else null: the bytes can then only flow through this process.
    /// </summary>
    public static async Task<Uri?> ReadUriAsync(BlobBaseClient blob, DateTimeOffset expiresOn, UserDelegationSigner? delegation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(BlobSasPermissions.Read, expiresOn);
        }

        return delegation is null ? null : await delegation.ReadUriAsync(blob, expiresOn, cancellationToken);
    }
}
