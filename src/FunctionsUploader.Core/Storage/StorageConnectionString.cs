namespace FunctionsUploader.Storage;

/// <summary>
/// An Azure Storage connection string, reduced to what blob access needs: the blob endpoint and either an
/// account key or a SAS. Errors name the missing or malformed field and never echo a key.
/// </summary>
public sealed class StorageConnectionString
{
    private const string DevelopmentAccount = "devstoreaccount1";

    // Azurite's documented well-known key; not a secret.
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageConnectionString(Uri blobEndpoint, StorageSharedKey? sharedKey, string? sas)
    {
        BlobEndpoint = blobEndpoint;
        SharedKey = sharedKey;
        SharedAccessSignature = sas;
    }

    /// <summary>The account's blob endpoint, ending in '/' (path-style for emulators: http://127.0.0.1:10000/devstoreaccount1/).</summary>
    public Uri BlobEndpoint { get; }

    public StorageSharedKey? SharedKey { get; }

    /// <summary>An account or service SAS (query string without '?'), when the string carries one instead of a key.</summary>
    public string? SharedAccessSignature { get; }

    public static StorageConnectionString Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("The storage connection string is empty.");
        }

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"The storage connection string has a segment without 'name=value' (segment {fields.Count + 1}).");
            }

            fields[part[..equals].Trim()] = part[(equals + 1)..].Trim();
        }

        if (fields.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            var proxy = fields.TryGetValue("DevelopmentStorageProxyUri", out var p) ? new Uri(p) : new Uri("http://127.0.0.1");
            var endpoint = new UriBuilder(proxy) { Port = 10000, Path = DevelopmentAccount + "/" }.Uri;
            return new StorageConnectionString(endpoint, new StorageSharedKey(DevelopmentAccount, DevelopmentKey), null);
        }

        fields.TryGetValue("AccountName", out var accountName);
        Uri blobEndpoint;
        if (fields.TryGetValue("BlobEndpoint", out var explicitEndpoint))
        {
            if (!Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            {
                throw new FormatException("The storage connection string's BlobEndpoint is not an absolute http(s) URL.");
            }

            blobEndpoint = WithTrailingSlash(parsed);
        }
        else
        {
            if (string.IsNullOrEmpty(accountName))
            {
                throw new FormatException("The storage connection string names neither AccountName nor BlobEndpoint.");
            }

            var protocol = fields.TryGetValue("DefaultEndpointsProtocol", out var proto) ? proto : "https";
            var suffix = fields.TryGetValue("EndpointSuffix", out var s) ? s : "core.windows.net";
            blobEndpoint = new Uri($"{protocol}://{accountName}.blob.{suffix}/");
        }

        if (fields.TryGetValue("AccountKey", out var key) && !string.IsNullOrEmpty(key))
        {
            if (string.IsNullOrEmpty(accountName))
            {
                throw new FormatException("The storage connection string has an AccountKey but no AccountName.");
            }

            return new StorageConnectionString(blobEndpoint, new StorageSharedKey(accountName, key), null);
        }

        if (fields.TryGetValue("SharedAccessSignature", out var sas) && !string.IsNullOrEmpty(sas))
        {
            return new StorageConnectionString(blobEndpoint, null, sas.TrimStart('?'));
        }

        throw new FormatException("The storage connection string has neither AccountKey nor SharedAccessSignature (for a managed identity, configure the blob endpoint URL instead).");
    }

    public override string ToString() => $"BlobEndpoint={BlobEndpoint}";

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new UriBuilder(uri) { Path = uri.AbsolutePath + "/" }.Uri;
}
