using System.Text;

namespace FunctionsUploader.Storage;

/// <summary>Builds service SAS tokens for one blob, signed with the account key.</summary>
public static class BlobSas
{
    /// <summary>Signed version: the string-to-sign below (with encryption scope) is the 2020-12-06+ layout.</summary>
    public const string SignedVersion = "2021-08-06";

    /// <summary>A SAS query string (without '?') that allows only <paramref name="permissions"/> on one blob until <paramref name="expiresOn"/>.</summary>
    public static string Create(StorageSharedKey key, string containerName, string blobName, string permissions, DateTimeOffset expiresOn, DateTimeOffset? startsOn = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var start = startsOn?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? string.Empty;
        var expiry = expiresOn.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var resource = $"/blob/{key.AccountName}/{containerName}/{blobName}";
        var stringToSign = string.Join('\n',
            permissions,
            start,
            expiry,
            resource,
            string.Empty, // signed identifier
            string.Empty, // signed IP
            string.Empty, // signed protocol
            SignedVersion,
            "b",          // signed resource: blob
            string.Empty, // snapshot time
            string.Empty, // encryption scope
            string.Empty, // rscc
            string.Empty, // rscd
            string.Empty, // rsce
            string.Empty, // rscl
            string.Empty); // rsct
        var signature = key.Sign(stringToSign);

        var query = new StringBuilder()
            .Append("sv=").Append(SignedVersion)
            .Append("&sr=b")
            .Append("&sp=").Append(Uri.EscapeDataString(permissions));
        if (start.Length > 0)
        {
            query.Append("&st=").Append(Uri.EscapeDataString(start));
        }

        query.Append("&se=").Append(Uri.EscapeDataString(expiry))
            .Append("&sig=").Append(Uri.EscapeDataString(signature));
        return query.ToString();
    }

    /// <summary>A URL for logs and messages: scheme, host and path, never the query string that carries a signature.</summary>
    public static string Redact(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.GetLeftPart(UriPartial.Path);
    }
}
