using System.Text.Json;
using FunctionsUploader.Transfer;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Vendors.Picovico;

/// <summary>
/// Picovico's direct upload of a videoclip (VENDORS.md B): GET directupload with the file's MD5 answers either the
/// clip Picovico already has (nothing is sent) or an S3 multipart upload with a presigned URL per 5 MiB part; the
/// parts go to S3, then POST directupload with their ETags makes the clip, which Picovico processes until available.
/// </summary>
public sealed class PicovicoConnector : IVendorConnector
{
    public const string VendorName = "picovico";

    /// <summary>Picovico cuts uploads into 5 MiB parts; S3 allows 10,000 of them.</summary>
    public static readonly PartRules DirectUploadRules = new()
    {
        Target = "Picovico's direct upload",
        PreferredPartSize = PartRules.S3MinPartSize,
        MinPartSize = PartRules.S3MinPartSize,
        MaxPartSize = PartRules.S3MinPartSize,
        MaxParts = PartRules.S3MaxParts,
        FixedPartSize = true,
        AcceptsEmptyFile = false,
    };

    private const string Vendor = "Picovico";
    private const string Md5Key = "md5";
    private const string FileNameKey = "fileName";
    private const string SizeKey = "size";

    /// <summary>"MOV, AVI and MP4 Format are only supported for uploads", by extension, with the mime sent for each.</summary>
    private static readonly Dictionary<string, string> VideoclipTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = "video/mp4",
        [".mov"] = "video/quicktime",
        [".avi"] = "video/x-msvideo",
    };

    private readonly VendorApiClient _api;
    private readonly HttpClient _parts;
    private readonly TransferOptions _transfer;
    private readonly ILogger _logger;

    /// <param name="api">For API calls: its Timeout bounds each call.</param>
    /// <param name="parts">For part uploads: an infinite Timeout, the transfer engine bounds each attempt.</param>
    public PicovicoConnector(PicovicoOptions options, HttpClient api, HttpClient parts, TransferOptions? transfer = null, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(parts);
        _parts = parts;
        _transfer = transfer ?? new TransferOptions();
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<PicovicoConnector>();
        var http = new VendorHttp(Vendor, api, options.Retry, time, PicovicoWire.ErrorMessage);
        var tokens = new AccessTokenCache(new PicovicoLogin(options, http, _logger).FetchAsync, time);
        _api = new VendorApiClient(http, options.BaseUrl!, PicovicoWire.Json, r => r.Headers.Add(PicovicoLogin.AppHeader, options.AppId), tokens, Authorize);
    }

    public string Name => VendorName;

    /// <summary>The MD5 names the upload (and finds a clip Picovico already has).</summary>
    public bool NeedsSourceMd5 => true;

    /// <summary>Registers the connector when Uploader:Vendors:Picovico exists (UploaderServices.AddVendors).</summary>
    public static void Register(IServiceCollection services, IConfigurationSection section) =>
        VendorRegistration.Add<PicovicoOptions>(services, section, VendorName, (options, host) => new PicovicoConnector(
            options, host.CreateHttpClient(options.RequestTimeout), host.CreateHttpClient(Timeout.InfiniteTimeSpan), host.Transfer, host.Loggers, host.Time));

    public string? CheckAcceptable(string fileName, long size)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (MimeOf(fileName) is null)
        {
            return $"Picovico takes videoclips only: MOV, AVI or MP4, judged by the file extension; '{Path.GetFileName(fileName)}' is not one.";
        }

        try
        {
            PartPlanner.Plan(size, DirectUploadRules);
            return null;
        }
        catch (TransferRefusedException e)
        {
            return e.Message;
        }
    }

    public async Task<VendorSession> OpenAsync(UploadOpening opening, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opening);
        if (CheckAcceptable(opening.FileName, opening.Size) is { } refusal)
        {
            throw new PermanentFailureException(refusal);
        }

        var md5 = opening.SourceMd5Hex?.ToLowerInvariant()
            ?? throw new ArgumentException("Picovico needs the source's MD5 (NeedsSourceMd5): it names the upload.", nameof(opening));
        var fileName = Path.GetFileName(opening.FileName);
        var answer = await AskDirectUploadAsync(md5, fileName, opening.Size, cancellationToken);
        var data = answer.Data?.FirstOrDefault() ?? throw VendorJson.Unexpected(Vendor, "get upload URLs", 200, "the answer's data is empty");
        var state = new Dictionary<string, string> { [Md5Key] = md5, [FileNameKey] = fileName, [SizeKey] = opening.Size.ToString(CultureInfo.InvariantCulture) };
        if (answer.Upload == false)
        {
            var clipId = data.Id ?? throw VendorJson.Unexpected(Vendor, "get upload URLs", 200, "the known clip has no id");
            _logger.PicovicoClipKnown(clipId, md5, opening.JobId);
            return new VendorSession { Vendor = VendorName, AssetId = clipId, AlreadyAtVendor = true, State = state };
        }

        var target = TargetOf(data);
        _logger.PicovicoUploadOpened(target.UploadId, fileName, target.PartUrls.Count, opening.JobId);
        // The clip id exists only once the upload is finalized: CommitAsync returns the session with it.
        return new VendorSession { Vendor = VendorName, Target = target, State = state };
    }

    /// <summary>GET directupload/{md5}: upload URLs for a new upload, or (upload false) the clip Picovico already has.</summary>
    private Task<PicovicoDirectUploadAnswer> AskDirectUploadAsync(string md5, string fileName, long size, CancellationToken cancellationToken)
    {
        var query = $"?size={size.ToString(CultureInfo.InvariantCulture)}&filename={Uri.EscapeDataString(fileName)}&mime={Uri.EscapeDataString(MimeOf(fileName)!)}";
        return _api.SendAsync<PicovicoDirectUploadAnswer>("get upload URLs", HttpMethod.Get, DirectUploadPath(md5) + query, null, cancellationToken);
    }

    /// <summary>
    /// The part URLs of the session; a PUT refused 403 (an expired signature) asks directupload again for the same MD5,
    /// which answers fresh URLs for the same upload [Assumed: the docs say nothing of expiry], and only the parts
    /// not yet sent go on with them.
    /// </summary>
    public ITransferTarget CreateTarget(VendorSession session)
    {
        var spec = OpenedSession.Target<PresignedPartsTargetSpec>(session, Vendor);
        return new PresignedPartsTarget(spec, _parts, _transfer, async cancellationToken =>
        {
            var md5 = OpenedSession.State(session, Md5Key, Vendor);
            var size = long.Parse(OpenedSession.State(session, SizeKey, Vendor), CultureInfo.InvariantCulture);
            var answer = await AskDirectUploadAsync(md5, OpenedSession.State(session, FileNameKey, Vendor), size, cancellationToken);
            _logger.PicovicoPartUrlsRenewed(spec.UploadId, md5);
            return answer.Upload == true && answer.Data?.FirstOrDefault() is { } data
                ? TargetOf(data)
                : throw new TransferIntegrityException($"Picovico no longer has upload {spec.UploadId} open for MD5 {md5}: asked for fresh part URLs, it answered the clip it holds.");
        });
    }

    public async Task<VendorCommit> CommitAsync(VendorSession session, UploadOpening opening, PartPlan plan, IReadOnlyList<PartReceipt> receipts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(plan);
        if (session.AlreadyAtVendor)
        {
            return new VendorCommit(session, session.AssetId!, null);
        }

        var target = CreateTarget(session);
        await target.CommitAsync(plan, [.. receipts], cancellationToken);
        var uploads = JsonSerializer.Serialize(plan.CheckComplete(receipts, target.Name).Select(r => new PicovicoUploadedPart(r.PartNumber, r.Tag!)));
        var md5 = OpenedSession.State(session, Md5Key, Vendor);
        PicovicoClipList answer;
        try
        {
            answer = await _api.SendAsync<PicovicoClipList>(
                "finalize upload",
                HttpMethod.Post,
                DirectUploadPath(md5),
                () => new FormUrlEncodedContent([new("uploads", uploads)]),
                cancellationToken);
        }
        catch (VendorApiException e) when (e.Status == 404)
        {
            // A retried finalize finds the upload closed when the first one's answer was lost on the way back:
            // Picovico then knows the clip by its MD5. If it does not, the 404 stands.
            var known = await AskDirectUploadAsync(md5, Path.GetFileName(opening.FileName), opening.Size, cancellationToken);
            if (known.Upload != false || known.Data?.FirstOrDefault() is not { Id: { Length: > 0 } } found)
            {
                throw;
            }

            answer = new PicovicoClipList([new PicovicoClip(found.Id, found.Status)]);
        }

        if (answer.Data?.FirstOrDefault() is not { Id: { Length: > 0 } clipId } clip)
        {
            throw VendorJson.Unexpected(Vendor, "finalize upload", 200, "the answer has no videoclip id");
        }

        _logger.PicovicoUploadFinalized(md5, clipId, clip.Status ?? "no status");
        // Picovico reports no checksum of what it stored; the part ETags were checked against the bytes sent.
        return new VendorCommit(session with { AssetId = clipId }, clipId, null);
    }

    public Task<StepOutcome> SetMetadataAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default) =>
        Task.FromResult(new StepOutcome(false, "Picovico has no metadata API for videoclips: its API only lists and reads them."));

    public Task<StepOutcome> SetCategoriesAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default) =>
        Task.FromResult(new StepOutcome(false, "Picovico has no category API for videoclips: its API only lists and reads them."));

    public Task<StepOutcome> SetStatusAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default) =>
        Task.FromResult(new StepOutcome(false, "Picovico has no status API for videoclips: it sets pending, then available or failed, itself."));

    public async Task<ProcessingCheck> CheckProcessingAsync(VendorSession session, CancellationToken cancellationToken = default)
    {
        // The clip id comes with the commit: processing is checked with the session CommitAsync returned.
        var clipId = OpenedSession.AssetId(session, Vendor);
        var answer = await _api.SendAsync<JsonElement>("read videoclip", HttpMethod.Get, $"me/videoclips/{Uri.EscapeDataString(clipId)}", null, cancellationToken);
        var status = PicovicoWire.One<PicovicoClip>(answer)?.Status;
        _logger.PicovicoClipStatus(clipId, status ?? "without a status");
        return status switch
        {
            "available" => new ProcessingCheck(true, false, null),
            "failed" => new ProcessingCheck(true, true, $"Picovico could not process videoclip {clipId} (status failed)."),
            "pending" => new ProcessingCheck(false, false, $"Picovico is processing videoclip {clipId} (status pending)."),
            null => new ProcessingCheck(false, false, $"Picovico answered videoclip {clipId} without a status."),
            var other => new ProcessingCheck(false, false, $"Picovico reports videoclip {clipId} as '{other}', not yet available."),
        };
    }

    public Task<StepOutcome> CancelAsync(VendorSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Task.FromResult(new StepOutcome(false, session.AlreadyAtVendor
            ? $"Videoclip {session.AssetId} was already at Picovico before this job and is left in place."
            : "Picovico documents no way to cancel a direct upload or delete a videoclip: what was sent stays with Picovico."));
    }

    private static PresignedPartsTargetSpec TargetOf(PicovicoDirectUploadData data)
    {
        if (data is not { UploadId: { Length: > 0 } uploadId, ChunkSize: > 0 and var chunkSize, Urls: { Count: > 0 } urls })
        {
            throw VendorJson.Unexpected(Vendor, "get upload URLs", 200, "the answer has no upload_id, chunk_size or urls");
        }

        var ordered = urls.OrderBy(u => u.PartNumber).ToList();
        var partUrls = new List<Uri>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].PartNumber != i + 1 || !Uri.TryCreate(ordered[i].Url, UriKind.Absolute, out var url))
            {
                throw VendorJson.Unexpected(Vendor, "get upload URLs", 200, $"the part URLs are not one absolute URL for each of parts 1 to {ordered.Count} (at part {i + 1})");
            }

            partUrls.Add(url);
        }

        return new PresignedPartsTargetSpec(uploadId, chunkSize, partUrls);
    }

    private static void Authorize(HttpRequestMessage request, AccessToken token)
    {
        request.Headers.Add("X-Access-Key", token.Key);
        request.Headers.Add("X-Access-Token", token.Value);
    }

    private static string DirectUploadPath(string md5) => $"me/directupload/videoclip/{md5}/";

    private static string? MimeOf(string fileName) => VideoclipTypes.GetValueOrDefault(Path.GetExtension(fileName));
}
