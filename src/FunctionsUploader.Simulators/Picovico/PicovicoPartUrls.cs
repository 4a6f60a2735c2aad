using FunctionsUploader.Simulators.Storage;

namespace FunctionsUploader.Simulators.Picovico;

/// <summary>
/// Picovico's presigned part URLs, served at /picovico/_s3/{bucket}/{key}?{signature} in front of s3rver, which
/// checks no signatures: a URL past its X-Amz-Date + X-Amz-Expires is refused 403 AccessDenied "Request has
/// expired", as S3 refuses it; any other is passed on. Object keys start picovico/{tenant}/, which names the tenant.
/// </summary>
internal sealed class PicovicoPartUrls(S3Forwarder forwarder, S3Storage storage, TimeProvider time)
{
    public const string UploadPartOperation = "uploadPart";

    private const string Prefix = "/picovico/_s3/";

    public static void Map(RouteGroupBuilder api) =>
        api.MapPut("/_s3/{**path}", (HttpContext context, string path, PicovicoPartUrls urls) => urls.PutAsync(context, path))
            .Simulates(SimulatedVendor.Picovico, UploadPartOperation, authenticated: false);

    /// <summary>The tenant id in a part URL's object key ({bucket}/picovico/{tenant}/...).</summary>
    public static string? TenantIdOf(HttpContext context) =>
        context.Request.RouteValues["path"] is string path && path.Split('/') is [_, "picovico", var tenant, ..] ? tenant : null;

    /// <summary>The URL the client is given: s3rver's presigned URL, moved under this server's /picovico/_s3/.</summary>
    public Uri Front(HttpContext context, Uri presigned) =>
        new($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{Prefix}{presigned.AbsolutePath[storage.Endpoint.AbsolutePath.Length..]}{presigned.Query}");

    public async Task<IResult> PutAsync(HttpContext context, string path)
    {
        var query = context.Request.Query;
        if (!DateTimeOffset.TryParseExact(query["X-Amz-Date"], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || !int.TryParse(query["X-Amz-Expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return S3Forwarder.Error(403, "AccessDenied", "Query-string authentication requires X-Amz-Date and X-Amz-Expires.");
        }

        if (time.GetUtcNow() > signedAt.AddSeconds(seconds))
        {
            return S3Forwarder.Error(403, "AccessDenied", "Request has expired");
        }

        var key = path[(path.IndexOf('/', StringComparison.Ordinal) + 1)..];
        return await S3Forwarder.AnswerAsync(context, await forwarder.SendAsync(context, key));
    }
}
