using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using FunctionsUploader.Simulators.Storage;

namespace FunctionsUploader.Simulators.Panopto;

/// <summary>
/// A session upload's UploadTarget, https://{server}/Panopto/Upload/{id}: a minimal S3 server (SessionUploadExample's
/// words) in front of s3rver. It refuses a part above 25 MB at once and, at CompleteMultipartUpload, any part but the
/// last below 5 MiB and any ETag it did not give ("must be between 5MB and 25MB", upload-python-sample). With the
/// tenant's panoptoOpaqueETags its part ETags are not the parts' MD5, as nothing promises they are; fault rules on
/// uploadTargetHead make a HEAD fail, as a minimal server's may.
/// </summary>
internal sealed class PanoptoUploadTargets(S3Forwarder forwarder)
{
    public const long MaxPartSize = 25_000_000;
    public const long MinPartSize = 5 * 1024 * 1024;

    private readonly ConcurrentDictionary<(string UploadId, int PartNumber), (long Size, string ETag)> _parts = new();

    public static void Map(RouteGroupBuilder server)
    {
        var target = server.MapGroup("/Upload/{id}/{**file}");
        target.MapPut("", (HttpContext context, string id, string file, PanoptoUploadTargets targets) => targets.PutAsync(context, id, file))
            .Simulates(SimulatedVendor.Panopto, "uploadTargetPut", authenticated: false);
        target.MapPost("", (HttpContext context, string id, string file, PanoptoUploadTargets targets) => targets.PostAsync(context, id, file))
            .Simulates(SimulatedVendor.Panopto, "uploadTargetPost", authenticated: false);
        target.MapMethods("", [HttpMethods.Head], (HttpContext context, string id, string file, PanoptoUploadTargets targets) => targets.ForwardAsync(context, id, file))
            .Simulates(SimulatedVendor.Panopto, "uploadTargetHead", authenticated: false);
        target.MapMethods("", [HttpMethods.Get, HttpMethods.Delete], (HttpContext context, string id, string file, PanoptoUploadTargets targets) => targets.ForwardAsync(context, id, file))
            .Simulates(SimulatedVendor.Panopto, "uploadTargetRead", authenticated: false);
    }

    public static bool IsUploadTargetOperation(SimulatedOperation operation) => operation.Name.StartsWith("uploadTarget", StringComparison.Ordinal);

    public async Task<IResult> ForwardAsync(HttpContext context, string id, string file) =>
        await S3Forwarder.AnswerAsync(context, await forwarder.SendAsync(context, Key(id, file)));

    /// <summary>UploadPart (?partNumber&amp;uploadId): at most 25 MB, its size and ETag remembered for the completion.</summary>
    public async Task<IResult> PutAsync(HttpContext context, string id, string file)
    {
        var query = context.Request.Query;
        if (!int.TryParse(query["partNumber"], NumberStyles.None, CultureInfo.InvariantCulture, out var partNumber) || query["uploadId"] is not [{ } uploadId])
        {
            return await ForwardAsync(context, id, file);
        }

        var size = long.TryParse(context.Request.Headers["x-amz-decoded-content-length"], NumberStyles.None, CultureInfo.InvariantCulture, out var decoded)
            ? decoded
            : context.Request.ContentLength ?? 0;
        if (size > MaxPartSize)
        {
            return S3Forwarder.Error(400, "EntityTooLarge", $"Part {partNumber} has {size} bytes; Panopto takes parts of 5 MB to 25 MB ({MaxPartSize} bytes).");
        }

        var answer = await forwarder.SendAsync(context, Key(id, file));
        var etag = answer.Headers.ETag?.Tag;
        if (answer.IsSuccessStatusCode && etag is not null)
        {
            var tenant = Inspection.SimulatedRequest.Of(context).Tenant!;
            // An opaque ETag still names the part uniquely; the completion must send it back as given.
            etag = tenant.Settings.PanoptoOpaqueETags ? $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(etag + uploadId)))[..32]}-1\"" : etag;
            _parts[(uploadId, partNumber)] = (size, etag);
        }

        return await S3Forwarder.AnswerAsync(context, answer, etag);
    }

    /// <summary>CompleteMultipartUpload (?uploadId): every part known by its ETag, all but the last at least 5 MiB.</summary>
    public async Task<IResult> PostAsync(HttpContext context, string id, string file)
    {
        if (context.Request.Query["uploadId"] is not [{ } uploadId])
        {
            return await ForwardAsync(context, id, file);
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        XDocument list;
        try
        {
            list = XDocument.Parse(Encoding.UTF8.GetString(body));
        }
        catch (System.Xml.XmlException e)
        {
            return S3Forwarder.Error(400, "MalformedXML", e.Message);
        }

        var parts = list.Descendants().Where(e => e.Name.LocalName == "Part")
            .Select(p => (Number: int.Parse(p.Elements().First(e => e.Name.LocalName == "PartNumber").Value, CultureInfo.InvariantCulture), ETag: p.Elements().First(e => e.Name.LocalName == "ETag").Value))
            .ToList();
        for (var i = 0; i < parts.Count; i++)
        {
            if (!_parts.TryGetValue((uploadId, parts[i].Number), out var held) || held.ETag.Trim('"') != parts[i].ETag.Trim('"'))
            {
                return S3Forwarder.Error(400, "InvalidPart", $"Part {parts[i].Number} was not uploaded with ETag {parts[i].ETag}.");
            }

            if (i < parts.Count - 1 && held.Size < MinPartSize)
            {
                return S3Forwarder.Error(400, "EntityTooSmall", $"Part {parts[i].Number} has {held.Size} bytes; every part but the last needs 5 MB to 25 MB.");
            }
        }

        // s3rver checks no ETags, opaque ones included: it gets the list as the client sent it.
        return await S3Forwarder.AnswerAsync(context, await forwarder.SendAsync(context, Key(id, file), body));
    }

    private static string Key(string id, string file) => $"{id}/{file}";
}
