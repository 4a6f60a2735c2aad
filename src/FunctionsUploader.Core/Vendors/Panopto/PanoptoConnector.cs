using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using FunctionsUploader.Storage;
using FunctionsUploader.Transfer;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Vendors.Panopto;

/// <summary>
/// Panopto's session upload (VENDORS.md section D): POST sessionUpload opens one in a folder; the media goes by S3
/// multipart to its UploadTarget (<see cref="S3MultipartTarget"/>); the commit completes it, uploads the UCS
/// manifest beside it and PUTs the session upload back with State 1; GET reports processing; DELETE cancels.
/// OAuth2 password grant, renewed by refresh token, on 401 and on 403 as Panopto's samples do.
/// </summary>
public sealed class PanoptoConnector : IVendorConnector
{
    public const string VendorName = "panopto";

    /// <summary>The session upload as Panopto answered POST sessionUpload, kept for the final PUT (its samples send it back whole).</summary>
    public const string SessionUploadState = "sessionUpload";

    private const string Vendor = "Panopto";

    /// <summary>Panopto's own upload target accepts any key pair; its samples sign with this one.</summary>
    private const string PlaceholderUploadKey = "dummy";

    private static readonly int[] TokenRefusals = [401, 403];

    private readonly PanoptoOptions _options;
    private readonly Uri _server;
    private readonly VendorApiClient _api;
    private readonly AWSCredentials _uploadCredentials;
    private readonly TransferOptions _transfer;
    private readonly TransferEngine _engine;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    /// <param name="api">For API and token calls: its Timeout bounds each call (the media goes through the AWS SDK).</param>
    public PanoptoConnector(PanoptoOptions options, HttpClient api, TransferOptions? transfer = null, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(api);
        _options = options;
        _server = VendorApiClient.AsBase(options.ServerUrl ?? throw new ArgumentException("Panopto's ServerUrl is not configured.", nameof(options)));
        _time = time ?? TimeProvider.System;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<PanoptoConnector>();
        _transfer = transfer ?? new TransferOptions();
        _engine = new TransferEngine(_transfer, _loggers.CreateLogger<TransferEngine>());
        var http = new VendorHttp(Vendor, api, options.Retry, _time, OAuth2PasswordTokens.ErrorMessage);
        var tokens = new OAuth2PasswordTokens(http, new OAuth2PasswordClient
        {
            TokenUrl = new Uri(_server, "Panopto/oauth2/connect/token"),
            ClientId = Required(options.ClientId, nameof(options.ClientId)),
            ClientSecret = Required(options.ClientSecret, nameof(options.ClientSecret)),
            Username = Required(options.Username, nameof(options.Username)),
            Password = Required(options.Password, nameof(options.Password)),
            Scope = options.Scope,
            BasicClientAuthentication = options.BasicClientAuthentication,
        }, _time, _logger).CreateCache();
        // Panopto's samples take a 403 as an expired token too.
        _api = new VendorApiClient(http, new Uri(_server, "Panopto/PublicAPI/REST/"), JsonSerializerOptions.Web, tokens: tokens, unauthorizedStatuses: TokenRefusals);
        _uploadCredentials = new BasicAWSCredentials(options.UploadAccessKey ?? PlaceholderUploadKey, options.UploadSecretKey ?? PlaceholderUploadKey);
    }

    public string Name => VendorName;

    public bool NeedsSourceMd5 => false;

    /// <summary>Registers the connector as "panopto" when Uploader:Vendors:Panopto exists; its options are checked at start.</summary>
    public static void Register(IServiceCollection services, IConfigurationSection section) =>
        VendorRegistration.Add<PanoptoOptions>(services, section, VendorName, (options, host) =>
            new PanoptoConnector(options, host.CreateHttpClient(options.RequestTimeout), host.Transfer, host.Loggers, host.Time));

    public string? CheckAcceptable(string fileName, long size)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (size <= 0)
        {
            return "Panopto cannot take an empty file (0 bytes): a session needs media to process.";
        }

        if (fileName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
        {
            return $"Panopto reads the one .xml file of a session upload as its manifest, so media cannot be named '{fileName}'.";
        }

        try
        {
            // The rules of the multipart upload the file would go to: 10,000 parts of at most 25 MB.
            PartPlanner.Plan(size, Spec(new PanoptoUploadTarget(_server, "Upload", "check"), fileName).GetPartRules());
            return null;
        }
        catch (TransferRefusedException e)
        {
            return $"Panopto cannot take this file: {e.Message}";
        }
    }

    public async Task<VendorSession> OpenAsync(UploadOpening opening, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opening);
        var folderId = FolderOf(opening.Details);
        var created = await _api.SendAsync<JsonElement>("creation of the session upload", HttpMethod.Post, "sessionUpload", _api.JsonBody(new JsonObject { ["FolderId"] = folderId.ToString() }), cancellationToken);
        var id = VendorJson.Text(created, "ID") ?? throw VendorJson.Unexpected(Vendor, "creation of the session upload", 201, "the answer names no session upload ID");
        try
        {
            var spec = Spec(UploadTargetOf(created), opening.FileName);
            using var media = new S3MultipartTarget(spec, _uploadCredentials, _transfer, _loggers.CreateLogger<S3MultipartTarget>());
            var uploadId = await VendorFailures.TranslateAsync(Vendor, "start of the multipart upload", () => media.StartAsync(opening.ContentType, cancellationToken), cancellationToken);
            spec = spec with { UploadId = uploadId };
            _logger.VendorUploadOpened(Vendor, id, opening.JobId, opening.Size, spec.ToString());
            return new VendorSession
            {
                Vendor = Name,
                AssetId = id,
                Target = spec,
                State = new Dictionary<string, string> { [SessionUploadState] = created.GetRawText() },
            };
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing refers to this session upload yet: leave no orphan at Panopto, whatever went wrong.
            await CancelQuietlyAsync(id);
            throw;
        }
    }

    public ITransferTarget CreateTarget(VendorSession session) =>
        new S3MultipartTarget(OpenedSession.Target<S3MultipartTargetSpec>(session, Vendor), _uploadCredentials, _transfer, _loggers.CreateLogger<S3MultipartTarget>());

    /// <summary>
    /// Completes the media, uploads the manifest beside it, then sets State 1. Safe to run again after a failure:
    /// a session upload already past Uploading is left alone, and a media upload completed before is checked by size.
    /// </summary>
    public async Task<VendorCommit> CommitAsync(VendorSession session, UploadOpening opening, PartPlan plan, IReadOnlyList<PartReceipt> receipts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opening);
        ArgumentNullException.ThrowIfNull(plan);
        var id = OpenedSession.AssetId(session, Vendor);
        var state = StateOf(await ReadSessionUploadAsync(id, cancellationToken));
        if (state is PanoptoUploadState.UploadComplete or PanoptoUploadState.Processing or PanoptoUploadState.Complete)
        {
            _logger.PanoptoAlreadyCommitted(id, state.ToString());
            return new VendorCommit(session, id, null);
        }

        if (state != PanoptoUploadState.Uploading)
        {
            throw new PermanentFailureException($"Panopto session upload {id} is {state}: it can no longer be completed.");
        }

        await CompleteMediaAsync(session, plan, receipts, cancellationToken);
        await UploadManifestAsync(session, opening, cancellationToken);
        var finished = JsonNode.Parse(SessionUploadOf(session))!.AsObject();
        finished["State"] = (int)PanoptoUploadState.UploadComplete;
        await _api.SendAsync("completion of the session upload (State 1)", HttpMethod.Put, SessionUploadPath(id), _api.JsonBody(finished), cancellationToken);
        _logger.VendorUploadCommitted(Vendor, id, plan.FileLength);
        return new VendorCommit(session, id, null);
    }

    public Task<StepOutcome> SetMetadataAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default) =>
        Task.FromResult(new StepOutcome(false, "Panopto takes the title and description from the session's manifest: they were set at commit."));

    public Task<StepOutcome> SetCategoriesAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        return Task.FromResult(details.Categories.Count == 0
            ? OpenedSession.NothingToSet("categories")
            : new StepOutcome(false, $"Panopto session uploads have no categories: {string.Join(", ", details.Categories)} were not set."));
    }

    public Task<StepOutcome> SetStatusAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        return Task.FromResult(details.Status is null
            ? OpenedSession.NothingToSet("status")
            : new StepOutcome(false, $"Panopto session uploads have no status to set (only Panopto's own processing state): '{details.Status}' was not set."));
    }

    public async Task<ProcessingCheck> CheckProcessingAsync(VendorSession session, CancellationToken cancellationToken = default)
    {
        var id = OpenedSession.AssetId(session, Vendor);
        var upload = await ReadSessionUploadAsync(id, cancellationToken);
        var raw = VendorJson.Text(upload, "State");
        var message = VendorApiException.Truncate(VendorJson.Text(upload, "Message"));
        _logger.VendorProcessingState(Vendor, id, raw ?? "without a State");
        // Complete (4) is done; ProcessingError (5) and DeletingError (8) are the documented failures. Anything else
        // after the commit (Processing, a cancel or delete by someone else, a number not in the enum, no State) says
        // nothing certain about the delivered bytes: not finished, not failed, with what was seen.
        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? (PanoptoUploadState)number switch
        {
            PanoptoUploadState.Complete => new ProcessingCheck(true, false, null),
            PanoptoUploadState.ProcessingError or PanoptoUploadState.DeletingError =>
                new ProcessingCheck(true, true, $"{(PanoptoUploadState)number}: {message ?? $"Panopto session upload {id} ended without a message."}"),
            var state when Enum.IsDefined(state) => new ProcessingCheck(false, false, $"Panopto session upload {id} is {state} ({number}){(message is null ? "." : $": {message}")}"),
            _ => new ProcessingCheck(false, false, $"Panopto session upload {id} reports State {number}, which Panopto does not document."),
        }
        : new ProcessingCheck(false, false, $"Panopto session upload {id} answered without a State ({raw ?? "none"}).");
    }

    public async Task<StepOutcome> CancelAsync(VendorSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.AssetId is not { } id)
        {
            return new StepOutcome(false, "Nothing was opened at Panopto.");
        }

        var done = new List<string>();
        if (session.Target is S3MultipartTargetSpec { UploadId: not null } spec)
        {
            done.Add(await AbortMediaAsync(spec, cancellationToken));
        }

        try
        {
            await CancelSessionUploadAsync(id, cancellationToken);
            done.Add("cancelled the session upload");
        }
        catch (VendorApiException e) when (e.Status == 404)
        {
            done.Add("the session upload was already gone");
        }

        var outcome = string.Join("; ", done);
        _logger.VendorUploadCancelled(Vendor, id, outcome);
        return new StepOutcome(true, outcome);
    }

    public override string ToString() => $"{nameof(PanoptoConnector)} {{ ServerUrl = {BlobSas.Redact(_server)} }}";

    private async Task CompleteMediaAsync(VendorSession session, PartPlan plan, IReadOnlyList<PartReceipt> receipts, CancellationToken cancellationToken)
    {
        var spec = OpenedSession.Target<S3MultipartTargetSpec>(session, Vendor);
        using var media = (S3MultipartTarget)CreateTarget(session);
        await VendorFailures.TranslateAsync(Vendor, "completion of the media upload", async () =>
        {
            try
            {
                await media.CommitAsync(plan, [.. receipts], cancellationToken);
            }
            catch (AmazonS3Exception)
            {
                // Completed by an earlier attempt that failed later (S3 answers NoSuchUpload, s3rver 500): the object
                // exists only once completed, so one holding every byte is the upload done.
                if (await StoredLengthAsync(spec, cancellationToken) != plan.FileLength)
                {
                    throw;
                }

                _logger.PanoptoMediaAlreadyCompleted(media.Name, plan.FileLength);
            }
        }, cancellationToken);
    }

    /// <summary>A small multipart upload of its own, as both Panopto samples send the manifest.</summary>
    private async Task UploadManifestAsync(VendorSession session, UploadOpening opening, CancellationToken cancellationToken)
    {
        var details = opening.Details;
        var manifest = SessionManifest.Create(
            details.Title is { Length: > 0 } title ? title : Path.GetFileNameWithoutExtension(opening.FileName),
            details.Description,
            details.RecordedAt ?? _time.GetUtcNow(),
            opening.FileName);
        var spec = Spec(UploadTargetOf(session), SessionManifest.FileName);
        using var target = new S3MultipartTarget(spec, _uploadCredentials, _transfer, _loggers.CreateLogger<S3MultipartTarget>());
        await VendorFailures.TranslateAsync(Vendor, "upload of the manifest", async () =>
        {
            await target.StartAsync("application/xml", cancellationToken);
            return await _engine.TransferAsync(new MemoryTransferSource(SessionManifest.FileName, manifest), target, cancellationToken: cancellationToken);
        }, cancellationToken);
        _logger.PanoptoManifestUploaded(spec.Key, manifest.Length, OpenedSession.AssetId(session, Vendor));
    }

    private async Task<string> AbortMediaAsync(S3MultipartTargetSpec spec, CancellationToken cancellationToken)
    {
        using var media = new S3MultipartTarget(spec, _uploadCredentials, _transfer, _loggers.CreateLogger<S3MultipartTarget>());
        try
        {
            await media.AbortAsync(cancellationToken);
            return "aborted the multipart upload";
        }
        catch (AmazonServiceException e) when (e.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
        {
            // s3rver (and perhaps Panopto) has no AbortMultipartUpload; the DELETE below removes what was uploaded.
            _logger.PanoptoAbortUnavailable(media.Name, $"{(int)e.StatusCode} {e.ErrorCode}");
            return $"the upload target does not support aborting a multipart upload ({(int)e.StatusCode})";
        }
        catch (AmazonServiceException e)
        {
            _logger.PanoptoAbortUnavailable(media.Name, $"{(int)e.StatusCode} {e.ErrorCode}");
            return $"aborting the multipart upload failed ({(int)e.StatusCode} {e.ErrorCode})";
        }
    }

    private async Task<long?> StoredLengthAsync(S3MultipartTargetSpec spec, CancellationToken cancellationToken)
    {
        using var s3 = new AmazonS3Client(_uploadCredentials, S3MultipartTarget.CreateConfig(spec, _transfer));
        try
        {
            return (await s3.GetObjectMetadataAsync(spec.Bucket, spec.Key, cancellationToken)).ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task CancelQuietlyAsync(string id)
    {
        try
        {
            await CancelSessionUploadAsync(id, CancellationToken.None);
        }
        catch (VendorApiException e)
        {
            _logger.VendorUploadCancelled(Vendor, id, $"could not cancel the session upload: {e.Message}");
        }
    }

    private Task<JsonElement> ReadSessionUploadAsync(string id, CancellationToken cancellationToken) =>
        _api.SendAsync<JsonElement>("read of the session upload", HttpMethod.Get, SessionUploadPath(id), null, cancellationToken);

    private Task CancelSessionUploadAsync(string id, CancellationToken cancellationToken) =>
        _api.SendAsync("cancellation of the session upload", HttpMethod.Delete, SessionUploadPath(id), null, cancellationToken);

    private S3MultipartTargetSpec Spec(PanoptoUploadTarget target, string fileName) =>
        new(target.ServiceUrl, target.Bucket, target.KeyOf(fileName))
        {
            Region = _options.UploadRegion,
            ForcePathStyle = _options.UploadForcePathStyle,
            ChecksumsOnlyWhenRequired = _options.UploadChecksumsOnlyWhenRequired,
            PayloadSigning = _options.UploadPayloadSigning,
            PartSize = _options.PartSize,
            MaxPartSize = PartRules.PanoptoMaxPartSize,
            // Panopto's samples pass part ETags through and never check them: nothing says they are MD5s.
            ETagsAreMd5 = false,
        };

    private Guid FolderOf(UploadDetails details)
    {
        var folder = details.Folder ?? _options.FolderId?.ToString();
        if (folder is null)
        {
            throw new PermanentFailureException("Panopto needs a folder for the session: give the job a folder or configure Uploader:Vendors:Panopto:FolderId.");
        }

        return Guid.TryParse(folder, out var id)
            ? id
            : throw new PermanentFailureException($"The Panopto folder '{folder}' is not a folder id (a GUID).");
    }

    private static PanoptoUploadTarget UploadTargetOf(JsonElement sessionUpload) =>
        PanoptoUploadTarget.Parse(VendorJson.Text(sessionUpload, "UploadTarget"))
        ?? throw new VendorApiException(Vendor, "creation of the session upload", 201, retryable: false,
            $"the UploadTarget is not an S3 URL ending in /{{bucket}}/{{prefix}}: '{VendorJson.Text(sessionUpload, "UploadTarget")}'");

    private static PanoptoUploadTarget UploadTargetOf(VendorSession session)
    {
        using var json = JsonDocument.Parse(SessionUploadOf(session));
        return UploadTargetOf(json.RootElement);
    }

    private static PanoptoUploadState StateOf(JsonElement sessionUpload) =>
        int.TryParse(VendorJson.Text(sessionUpload, "State"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var state)
            ? (PanoptoUploadState)state
            : throw new VendorApiException(Vendor, "read of the session upload", 200, retryable: false, "the answer has no State");

    private static string SessionUploadPath(string id) => "sessionUpload/" + Uri.EscapeDataString(id);

    private static string SessionUploadOf(VendorSession session) => OpenedSession.State(session, SessionUploadState, Vendor);

    private static string Required(string? value, string name) =>
        value is { Length: > 0 } ? value : throw new ArgumentException($"Panopto's {name} is not configured.", "options");
}
