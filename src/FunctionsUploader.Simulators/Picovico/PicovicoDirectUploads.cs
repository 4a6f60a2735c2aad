using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Amazon.S3;
using FunctionsUploader.Simulators.Inspection;
using FunctionsUploader.Simulators.Storage;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Picovico;

/// <summary>
/// Picovico's direct upload (docs/directupload): dedupe by MD5, presigned S3 UploadPart URLs per 5 MiB chunk on a
/// real S3 (s3rver), then a finalize with the part ETags. s3rver checks neither ETags nor part sizes, so the
/// simulator reads the completed object back: every part but the last exactly 5 MiB, each ETag the MD5 of its
/// part, the whole object's MD5 the one in the path. Then the clip is pending until processing ends.
/// </summary>
internal sealed partial class PicovicoDirectUploads(S3Storage storage, PicovicoPartUrls partUrls, TimeProvider time, ILogger<PicovicoDirectUploads> logger) : IAssetInspector
{
    private const int MaxParts = 10_000;
    private static readonly string[] AcceptedMimeTypes = ["video/mp4", "video/quicktime", "video/x-msvideo", "video/avi", "video/msvideo"];

    private readonly ConcurrentDictionary<(string Tenant, string Md5), OpenUpload> _uploads = new();
    private readonly ConcurrentDictionary<(string Tenant, string Md5), Videoclip> _byMd5 = new();
    private readonly ConcurrentDictionary<string, Videoclip> _clips = new(StringComparer.Ordinal);

    public SimulatedVendor Vendor => SimulatedVendor.Picovico;

    /// <summary>GET me/directupload/videoclip/{md5}/?size=&amp;filename=&amp;mime=</summary>
    public async Task<IResult> GetUploadUrlsAsync(HttpContext context, string asset, string md5)
    {
        if (RequestProblem(asset, md5) is { } problem)
        {
            return PicovicoJson.Error(400, problem);
        }

        var query = context.Request.Query;
        if (!long.TryParse(query["size"], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size <= 0)
        {
            return PicovicoJson.Error(400, "size is required: the file's size in bytes (the URLs are generated per 5 MB chunk).");
        }

        var mime = query["mime"].ToString() is { Length: > 0 } given ? given : "video/mp4";
        if (!AcceptedMimeTypes.Contains(mime, StringComparer.OrdinalIgnoreCase))
        {
            return PicovicoJson.Error(400, $"Uploads accept MOV, AVI and MP4 only, not {mime}.");
        }

        var parts = (int)Math.Min(int.MaxValue, (size + PicovicoJson.ChunkSize - 1) / PicovicoJson.ChunkSize);
        if (parts > MaxParts)
        {
            return PicovicoJson.Error(400, $"{size} bytes need {parts} parts of 5 MiB; S3 allows {MaxParts}.");
        }

        var tenant = SimulatedRequest.Of(context).Tenant!;
        var key = (tenant.Id, md5.ToLowerInvariant());
        if (_byMd5.TryGetValue(key, out var known) && known.Status != "failed")
        {
            return PicovicoJson.Ok(new KnownClip(1, false, [known.Body()]));
        }

        // [Assumed] A second request for an md5 whose upload is still open (same size) gets the same upload_id with fresh URLs.
        if (!_uploads.TryGetValue(key, out var upload) || upload.Size != size)
        {
            var fileName = JsonBody.IsPlainFileName(query["filename"]) ? query["filename"].ToString() : key.Item2 + ".mp4";
            var objectKey = $"picovico/{tenant.Id}/{Guid.NewGuid():N}/{fileName}";
            var uploadId = await storage.StartMultipartUploadAsync(objectKey, mime, context.RequestAborted);
            upload = _uploads[key] = new OpenUpload(objectKey, uploadId, size, parts, fileName, mime);
        }

        var expires = (time.GetUtcNow() + tenant.Settings.PresignedUrlLifetime).UtcDateTime;
        var urls = new List<PartUrl>(parts);
        for (var part = 1; part <= parts; part++)
        {
            urls.Add(new PartUrl(part, partUrls.Front(context, await storage.PresignPartAsync(upload.ObjectKey, upload.UploadId, part, expires)).ToString()));
        }

        return PicovicoJson.Ok(new DirectUploadUrls(1, true, [new DirectUploadTarget(upload.UploadId, PicovicoJson.ChunkSize, urls)]));
    }

    /// <summary>POST me/directupload/videoclip/{md5}/ with form field uploads=[{"PartNumber":1,"ETag":"..."},...] [Assumed: a form field].</summary>
    public async Task<IResult> CompleteAsync(HttpContext context, string asset, string md5)
    {
        if (RequestProblem(asset, md5) is { } problem)
        {
            return PicovicoJson.Error(400, problem);
        }

        var request = SimulatedRequest.Of(context);
        var tenant = request.Tenant!;
        var key = (tenant.Id, md5.ToLowerInvariant());
        if (!_uploads.TryGetValue(key, out var upload))
        {
            return PicovicoJson.Error(404, $"No direct upload is open for md5 {md5}: GET its upload URLs first.");
        }

        var parts = await ReadPartsAsync(context.Request);
        if (parts is null)
        {
            return PicovicoJson.Error(400, "uploads is required: a form field holding the JSON [{\"PartNumber\": 1, \"ETag\": \"...\"}, ...].");
        }

        if (parts.Count != upload.Parts || parts.Where((p, i) => p.PartNumber != i + 1 || string.IsNullOrWhiteSpace(p.ETag)).Any())
        {
            return PicovicoJson.Error(400, $"uploads must list parts 1..{upload.Parts} in ascending order, each with the ETag S3 returned for it.");
        }

        if (!_uploads.TryRemove(KeyValuePair.Create(key, upload)))
        {
            return PicovicoJson.Error(409, $"The upload of md5 {md5} is being finalized by another request.");
        }

        var rejection = await VerifyAsync(upload, parts, key.Item2, context.RequestAborted);
        if (rejection is not null)
        {
            // [Assumed] A refused finalize consumes the upload (it was completed to be checked); the client starts again with GET directupload.
            Logs.UploadRejected(logger, tenant.Id, Vendor, md5, rejection);
            await storage.DeleteAsync(upload.ObjectKey, CancellationToken.None);
            return PicovicoJson.Error(400, rejection);
        }

        var clip = new Videoclip(tenant, Guid.NewGuid().ToString("N"), key.Item2, upload, ProcessingCountdown.For(request), time.GetUtcNow());
        _clips[clip.Id] = clip;
        _byMd5[key] = clip;
        Logs.AssetFinalized(logger, tenant.Id, Vendor, clip.Id, upload.Size);
        return PicovicoJson.Ok(new ClipList(1, [clip.Body()]));
    }

    /// <summary>GET me/videoclips/{id}: the response object (wrapped in data under v2.7); each read moves processing on.</summary>
    public IResult GetVideoclip(HttpContext context, string id)
    {
        if (!_clips.TryGetValue(id, out var clip) || clip.Tenant != SimulatedRequest.Of(context).Tenant)
        {
            return PicovicoJson.Error(404, $"No videoclip {id}.");
        }

        clip.Processing.Read();
        return PicovicoJson.One(clip.Tenant, clip.Body());
    }

    public IReadOnlyList<string> AssetIds(Tenant tenant) =>
        [.. _clips.Values.Where(c => c.Tenant == tenant).OrderBy(c => c.CreatedAt).Select(c => c.Id)];

    public async Task<AssetReport?> InspectAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        if (!_clips.TryGetValue(id, out var clip) || clip.Tenant != tenant)
        {
            return null;
        }

        var digest = await storage.DigestAsync(clip.Upload.ObjectKey, 0, cancellationToken);
        return new AssetReport
        {
            Vendor = Vendor,
            Id = clip.Id,
            Status = clip.Status,
            FileName = clip.Upload.FileName,
            Size = digest?.Size,
            Md5 = digest?.Md5,
            Metadata = new Dictionary<string, string> { ["md5"] = clip.Md5, ["mime"] = clip.Upload.Mime },
            Requests = tenant.Requests.Snapshot(clip.Id, clip.Md5),
        };
    }

    private static string? RequestProblem(string asset, string md5) =>
        asset != "videoclip" ? $"Direct upload supports the videoclip asset only, not '{asset}'."
        : !Md5Hex().IsMatch(md5) ? $"'{md5}' is not an MD5 checksum (32 hex digits)."
        : null;

    private static async Task<List<UploadedPart>?> ReadPartsAsync(HttpRequest request)
    {
        var json = (await Auth.RequestCredentials.FormAsync(request))["uploads"].ToString();
        try
        {
            return json.Length == 0 ? null : JsonSerializer.Deserialize<List<UploadedPart>>(json, PicovicoJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Completes the multipart upload and reads the object back; null when it is what the client said.</summary>
    private async Task<string?> VerifyAsync(OpenUpload upload, List<UploadedPart> parts, string md5, CancellationToken cancellationToken)
    {
        try
        {
            await storage.CompleteMultipartUploadAsync(upload.ObjectKey, upload.UploadId, parts.Select(p => (p.PartNumber, p.ETag!)), cancellationToken);
        }
        catch (AmazonS3Exception e)
        {
            return $"S3 could not complete the upload ({e.ErrorCode}): was every part uploaded to its URL?";
        }

        var digest = await storage.DigestAsync(upload.ObjectKey, PicovicoJson.ChunkSize, cancellationToken);
        if (digest is null)
        {
            return "The completed object is missing from S3.";
        }

        if (digest.Size != upload.Size)
        {
            return $"The parts add up to {digest.Size} bytes, not the size {upload.Size} the upload was opened for: every part but the last must be exactly {PicovicoJson.ChunkSize} bytes.";
        }

        for (var i = 0; i < parts.Count; i++)
        {
            if (!string.Equals(parts[i].ETag!.Trim('"'), digest.SegmentMd5s[i], StringComparison.OrdinalIgnoreCase))
            {
                return $"Part {i + 1}'s ETag does not match the bytes at offset {(long)i * PicovicoJson.ChunkSize}: every part but the last must be exactly {PicovicoJson.ChunkSize} bytes, and each ETag the one S3 returned for its part.";
            }
        }

        return digest.Md5 == md5 ? null : $"The uploaded content's MD5 is {digest.Md5}, not the {md5} the upload was opened for.";
    }

    [GeneratedRegex("^[0-9a-fA-F]{32}$")]
    private static partial Regex Md5Hex();

    private sealed record OpenUpload(string ObjectKey, string UploadId, long Size, int Parts, string FileName, string Mime);

    private sealed record Videoclip(Tenant Tenant, string Id, string Md5, OpenUpload Upload, ProcessingCountdown Processing, DateTimeOffset CreatedAt)
    {
        public string Status => !Processing.Ended ? "pending" : Processing.Fails ? "failed" : "available";

        public VideoclipBody Body() => new(null, null, null, Id, Status);
    }
}
