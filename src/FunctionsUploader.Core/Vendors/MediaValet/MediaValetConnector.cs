using FunctionsUploader.Transfer;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Vendors.MediaValet;

/// <summary>
/// MediaValet (VENDORS.md A). A new asset: POST uploads opens a holder asset with a SAS URL, the blocks go to Azure,
/// then Put Block List, the fill (PUT uploads/{id}), attributes, categories and the finalizing PATCH status = 1.
/// A new version of an existing asset (<see cref="UploadDetails.NewVersionOf"/>): check out, validate the check-in,
/// get its upload URL, the blocks, Put Block List, then PUT assets/{id}/checkIn (202).
/// </summary>
public sealed class MediaValetConnector : IVendorConnector
{
    public const string VendorName = "mediavalet";

    /// <summary>[Seed] The check-in article: "Maximum file size ... is 200GB", read as decimal gigabytes, the stricter reading.</summary>
    public const long MaxFileSize = 200_000_000_000;

    private const string Vendor = MediaValetApi.Vendor;
    private const string FlowKey = "flow";
    private const string NewAssetFlow = "upload";
    private const string CheckInFlow = "check-in";
    private const string UploadFilenameKey = "uploadFilename";
    private const string MediaFileIdKey = "mediaFileId";
    private const string FileNameKey = "fileName";

    private readonly MediaValetOptions _options;
    private readonly MediaValetApi _api;
    private readonly TransferOptions _transfer;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    public MediaValetConnector(MediaValetOptions options, HttpClient http, TransferOptions? transfer = null, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        _options = options;
        _transfer = transfer ?? new TransferOptions();
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<MediaValetConnector>();
        _api = new MediaValetApi(options, http, _logger, time ?? TimeProvider.System);
    }

    public string Name => VendorName;

    public bool NeedsSourceMd5 => false;

    /// <summary>Registers the connector when Uploader:Vendors:MediaValet exists (UploaderServices.AddVendors).</summary>
    public static void Register(IServiceCollection services, IConfigurationSection section) =>
        VendorRegistration.Add<MediaValetOptions>(services, section, VendorName, (options, host) =>
            new MediaValetConnector(options, host.CreateHttpClient(options.RequestTimeout), host.Transfer, host.Loggers, host.Time));

    /// <summary>
    /// Empty files are taken: Azure stores a 0-byte blob and MediaValet (as simulated) finalizes it; refusing what the
    /// vendor takes would be our rule, not theirs. Above 200 GB they are refused [Seed].
    /// </summary>
    public string? CheckAcceptable(string fileName, long size) =>
        size > MaxFileSize
            ? $"The file has {PartPlanner.Size(size)}; MediaValet takes files of at most 200 GB ({MaxFileSize:N0} bytes)."
            : null;

    public async Task<VendorSession> OpenAsync(UploadOpening opening, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opening);
        var fileName = Path.GetFileName(opening.FileName);
        return opening.Details.NewVersionOf is { Length: > 0 } assetId
            ? await CheckOutAsync(opening, assetId, fileName, cancellationToken)
            : await CreateUploadAsync(opening, fileName, cancellationToken);
    }

    public ITransferTarget CreateTarget(VendorSession session)
    {
        return new AzureBlobSasTarget(OpenedSession.Target<AzureBlobSasTargetSpec>(session, Vendor), _transfer, _loggers.CreateLogger<AzureBlobSasTarget>());
    }

    public async Task<VendorCommit> CommitAsync(VendorSession session, UploadOpening opening, PartPlan plan, IReadOnlyList<PartReceipt> receipts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(opening);
        ArgumentNullException.ThrowIfNull(plan);
        var id = OpenedSession.AssetId(session, Vendor);
        var target = CreateTarget(session);
        // Put Block List goes to MediaValet's storage: its refusal (an expired SAS) is MediaValet's answer.
        var blob = await VendorFailures.TranslateAsync(Vendor, "commit blocks", () => target.CommitAsync(plan, [.. receipts], cancellationToken), cancellationToken);
        if (IsCheckIn(session))
        {
            var spec = OpenedSession.Target<AzureBlobSasTargetSpec>(session, Vendor);
            await _api.CallAsync("check in", HttpMethod.Put, $"assets/{Uri.EscapeDataString(id)}/checkIn", new MediaValetCheckIn(
                id,
                spec.UploadUrl.AbsoluteUri,
                OpenedSession.State(session, UploadFilenameKey, Vendor),
                OpenedSession.State(session, MediaFileIdKey, Vendor),
                Status: 0,
                opening.Details.Description ?? JobComment(opening.JobId),
                blob.Length,
                OpenedSession.State(session, FileNameKey, Vendor)), cancellationToken);
        }
        else
        {
            await _api.CallAsync("fill upload", HttpMethod.Put, UploadPath(id), new
            {
                filename = OpenedSession.State(session, UploadFilenameKey, Vendor),
                title = opening.Details.Title ?? OpenedSession.State(session, FileNameKey, Vendor),
                description = opening.Details.Description,
                fileSizeInBytes = blob.Length,
            }, cancellationToken);
        }

        _logger.MediaValetCommitted(IsCheckIn(session) ? "the check-in of asset" : "upload", id, blob.Length);
        // Neither flow reports a checksum of what MediaValet stored; the target checked the committed size.
        return new VendorCommit(session, id, null);
    }

    /// <summary>[Assumed] The attribute body is not public; the simulator fixes {"attributes": {"name": "value"}}.</summary>
    public Task<StepOutcome> SetMetadataAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        return AddToUploadAsync(session, "metadata", "attributes", details.Metadata.Count, new { attributes = details.Metadata }, cancellationToken);
    }

    /// <summary>Categories by id: a JSON array of GUIDs, as the official sample sends them.</summary>
    public Task<StepOutcome> SetCategoriesAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        return AddToUploadAsync(session, "categories", "categories", details.Categories.Count, details.Categories, cancellationToken);
    }

    /// <summary>The finalize (PATCH status = 1): mandatory for a new asset, whatever the job's status says, which OpenAsync checked.</summary>
    public async Task<StepOutcome> SetStatusAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default)
    {
        if (SkipForCheckIn(session, "status") is { } skipped)
        {
            return skipped;
        }

        var id = OpenedSession.AssetId(session, Vendor);
        await _api.PatchStatusAsync(id, cancellationToken);
        _logger.MediaValetStepApplied("status 1 (finalized)", id);
        return new StepOutcome(true);
    }

    /// <summary>MediaValet documents no processing status to poll (approval, where configured, is people's work): finished at once.</summary>
    public Task<ProcessingCheck> CheckProcessingAsync(VendorSession session, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProcessingCheck(true, false, null));

    public async Task<StepOutcome> CancelAsync(VendorSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.AssetId is not { } id)
        {
            return new StepOutcome(false, "Nothing was opened at MediaValet.");
        }

        if (IsCheckIn(session))
        {
            return new StepOutcome(false, $"MediaValet's API documents no way to undo a check-out: asset {id} stays checked out until it is checked in or the check-out is discarded in MediaValet.");
        }

        try
        {
            await _api.CallAsync("cancel upload", HttpMethod.Delete, UploadPath(id), null, cancellationToken);
        }
        catch (VendorApiException e) when (e.Status == 404)
        {
            _logger.MediaValetCancelled(id, "it was already gone");
            return new StepOutcome(true, $"MediaValet upload {id} was already gone.");
        }
        catch (VendorApiException e) when (e.Status == 409)
        {
            return new StepOutcome(false, $"MediaValet upload {id} is already a finalized asset and was left in place.");
        }

        _logger.MediaValetCancelled(id, "its holder asset and blob are deleted");
        return new StepOutcome(true);
    }

    private async Task<VendorSession> CreateUploadAsync(UploadOpening opening, string fileName, CancellationToken cancellationToken)
    {
        CheckDetails(opening.Details);
        // MediaValet has no idempotency key: a retried POST leaves another holder asset, deleted only by DELETE uploads/{id}.
        var access = await _api.CallAsync<MediaValetUploadAccess>("create upload", HttpMethod.Post, "uploads", new { filename = fileName }, cancellationToken);
        if (access is not { Id: { Length: > 0 } id, UploadFilename: { Length: > 0 } uploadFilename })
        {
            throw VendorJson.Unexpected(Vendor, "create upload", 200, "the answer has no id or uploadFilename");
        }

        _logger.MediaValetUploadOpened(id, fileName, opening.JobId);
        return Opened(opening, "create upload", id, access.UploadUrl, new()
        {
            [FlowKey] = NewAssetFlow,
            [UploadFilenameKey] = uploadFilename,
            [FileNameKey] = fileName,
        });
    }

    private async Task<VendorSession> CheckOutAsync(UploadOpening opening, string assetId, string fileName, CancellationToken cancellationToken)
    {
        var asset = $"assets/{Uri.EscapeDataString(assetId)}";
        await _api.CallAsync("check out", HttpMethod.Post, $"{asset}/checkOut", new[] { JobComment(opening.JobId) }, cancellationToken);
        await _api.CallAsync("validate check-in", HttpMethod.Post, $"{asset}/checkIn/validate", new { fileName }, cancellationToken);
        var access = await _api.CallAsync<MediaValetCheckInAccess>("get check-in upload URL", HttpMethod.Get, $"{asset}/checkIn/uploadUrl", null, cancellationToken);
        if (access is not { UploadFileName: { Length: > 0 } uploadFileName, MediaFileId: { Length: > 0 } mediaFileId })
        {
            throw VendorJson.Unexpected(Vendor, "get check-in upload URL", 200, "the answer has no uploadFileName or mediaFileId");
        }

        _logger.MediaValetCheckedOut(assetId, fileName, opening.JobId);
        return Opened(opening, "get check-in upload URL", assetId, access.UploadUrl, new()
        {
            [FlowKey] = CheckInFlow,
            [UploadFilenameKey] = uploadFileName,
            [MediaFileIdKey] = mediaFileId,
            [FileNameKey] = fileName,
        });
    }

    /// <summary>POST uploads/{id}/{resource}: one of the fill steps a new asset takes before its finalize.</summary>
    private async Task<StepOutcome> AddToUploadAsync(VendorSession session, string step, string resource, int count, object body, CancellationToken cancellationToken)
    {
        if (SkipForCheckIn(session, step) is { } skipped)
        {
            return skipped;
        }

        if (count == 0)
        {
            return OpenedSession.NothingToSet(step);
        }

        var id = OpenedSession.AssetId(session, Vendor);
        await _api.CallAsync($"add {resource}", HttpMethod.Post, $"{UploadPath(id)}/{resource}", body, cancellationToken);
        _logger.MediaValetStepApplied(resource, id);
        return new StepOutcome(true);
    }

    /// <summary>The session of either flow: the blocks go to the SAS URL the vendor answered.</summary>
    private VendorSession Opened(UploadOpening opening, string operation, string id, string? uploadUrl, Dictionary<string, string> state)
    {
        if (!Uri.TryCreate(uploadUrl, UriKind.Absolute, out var url))
        {
            throw VendorJson.Unexpected(Vendor, operation, 200, "the answer has no absolute uploadUrl");
        }

        return new VendorSession
        {
            Vendor = VendorName,
            AssetId = id,
            Target = new AzureBlobSasTargetSpec(url) { BlockSize = _options.BlockSize, ServerSideCopy = _options.ServerSideCopy, ContentType = opening.ContentType },
            State = state,
        };
    }

    /// <summary>Refuses, before anything is opened, what MediaValet would refuse only after the bytes are in.</summary>
    private static void CheckDetails(UploadDetails details)
    {
        if (details.Categories.FirstOrDefault(c => !Guid.TryParse(c, out _)) is { } category)
        {
            throw new PermanentFailureException($"MediaValet takes categories by id (a GUID); '{category}' is not one.");
        }

        if (details.Status is { } status && status.Trim() != "1")
        {
            throw new PermanentFailureException($"MediaValet's finalize sets status 1, the only status its upload API documents; '{status}' cannot be set.");
        }
    }

    private StepOutcome? SkipForCheckIn(VendorSession session, string step)
    {
        ArgumentNullException.ThrowIfNull(session);
        return IsCheckIn(session)
            ? new StepOutcome(false, $"Not set for a new version: MediaValet documents {step} for uploads in progress only; asset {session.AssetId} keeps its own, and the check-in already made the new version current.")
            : null;
    }

    private static bool IsCheckIn(VendorSession session) => session.State.GetValueOrDefault(FlowKey) == CheckInFlow;

    private static string UploadPath(string id) => $"uploads/{Uri.EscapeDataString(id)}";

    private static string JobComment(string jobId) => $"FunctionsUploader job {jobId}";
}
