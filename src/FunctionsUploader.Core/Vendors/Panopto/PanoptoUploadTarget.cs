namespace FunctionsUploader.Vendors.Panopto;

/// <summary>
/// A session upload's UploadTarget, split as Panopto's samples split https://{host}/Panopto/Upload/{id}: the last
/// segment is the key prefix, the one before it the bucket, the rest the S3 service URL. Objects go to "{prefix}/{name}".
/// </summary>
public sealed record PanoptoUploadTarget(Uri ServiceUrl, string Bucket, string KeyPrefix)
{
    /// <summary>Null when <paramref name="uploadTarget"/> is not an absolute http(s) URL with at least a bucket and a prefix.</summary>
    public static PanoptoUploadTarget? Parse(string? uploadTarget)
    {
        if (!Uri.TryCreate(uploadTarget, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2)
        {
            return null;
        }

        // No trailing slash below the root: AWSSDK.S3 appends "/{bucket}" to the service URL, so ".../Panopto/" would
        // become ".../Panopto//Upload/...", a path Panopto's server (and any router) does not know.
        var service = new Uri(uri, "/" + string.Join('/', segments[..^2]));
        return new PanoptoUploadTarget(service, Uri.UnescapeDataString(segments[^2]), Uri.UnescapeDataString(segments[^1]));
    }

    public string KeyOf(string fileName) => $"{KeyPrefix}/{fileName}";
}
