using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsUploader.Storage;
using FunctionsUploader.Transfer;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Vendors.Prepr;

/// <summary>
/// Prepr's assets (VENDORS.md section C). Video: POST assets (upload_phase=start) opens the asset, chunks go one after
/// another through <see cref="PhasedChunkTarget"/>, upload_phase=finish queues encoding. Images, documents and audio:
/// one POST assets with the file as "source" (<see cref="FormUploadTarget"/>) makes the asset. PUT assets/{id} sets
/// name, body and tags; GET tells processing is done by a non-empty cdn_files; DELETE removes the asset. Every
/// request is paced by Prepr's limits (<see cref="PreprPacer"/>), and an error inside a 200 counts as the error it
/// names. The static access token is never refreshed: a 401 means the configured token is wrong or lacks a scope.
/// </summary>
public sealed class PreprConnector : IVendorConnector
{
    public const string VendorName = "prepr";

    private const string Vendor = "Prepr";

    private readonly PreprOptions _options;
    private readonly string _accessToken;
    private readonly HttpClient _chunks;
    private readonly VendorApiClient _api;
    private readonly TransferOptions _transfer;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    /// <param name="api">For API calls: its Timeout bounds each call.</param>
    /// <param name="chunks">For chunks: an infinite Timeout, the transfer engine bounds each attempt.</param>
    public PreprConnector(PreprOptions options, HttpClient api, HttpClient chunks, TransferOptions? transfer = null, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(chunks);
        _options = options;
        _accessToken = options.AccessToken is { Length: > 0 } token ? token : throw new ArgumentException("Prepr's AccessToken is not configured.", nameof(options));
        _transfer = transfer ?? new TransferOptions();
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<PreprConnector>();
        var pacer = new PreprPacer(options, time ?? TimeProvider.System);
        _chunks = pacer.Wrap(chunks);
        // The token is static: a 401 is not a token to renew but a wrong one, so it goes on every request as a header.
        _api = new VendorApiClient(
            new VendorHttp(Vendor, pacer.Wrap(api), options.Retry, time, ErrorMessage),
            options.BaseUrl ?? throw new ArgumentException("Prepr's BaseUrl is not configured.", nameof(options)),
            JsonSerializerOptions.Web,
            request => request.Headers.Authorization = Authorization());
    }

    public string Name => VendorName;

    public bool NeedsSourceMd5 => false;

    /// <summary>Registers the connector as "prepr" when Uploader:Vendors:Prepr exists; its options are checked at start.</summary>
    public static void Register(IServiceCollection services, IConfigurationSection section) =>
        VendorRegistration.Add<PreprOptions>(services, section, VendorName, (options, host) => new PreprConnector(
            options, host.CreateHttpClient(options.RequestTimeout), host.CreateHttpClient(Timeout.InfiniteTimeSpan), host.Transfer, host.Loggers, host.Time));

    public string? CheckAcceptable(string fileName, long size)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var name = Path.GetFileName(fileName);
        return PreprMediaKinds.Of(name) == PreprMediaKind.None
            ? $"Prepr takes video, images, documents and audio; '{name}' is none of these by its extension ('{Path.GetExtension(name)}')."
            : size <= 0 ? $"Prepr cannot take '{name}': it is empty (0 bytes)."
            : null;
    }

    public async Task<VendorSession> OpenAsync(UploadOpening opening, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opening);
        if (CheckAcceptable(opening.FileName, opening.Size) is { } refusal)
        {
            throw new PermanentFailureException(refusal);
        }

        var fileName = Path.GetFileName(opening.FileName);
        var name = opening.Details.Title is { Length: > 0 } title ? title : fileName;
        if (PreprMediaKinds.Of(fileName) != PreprMediaKind.Video)
        {
            // One request makes the asset with its bytes: nothing exists at Prepr until the transfer sends it.
            var fields = new Dictionary<string, string> { ["name"] = name, ["reference_id"] = opening.JobId };
            if (opening.Details.Description is { } text)
            {
                fields["body"] = text;
            }

            var form = new FormUploadTargetSpec(new Uri(_api.BaseUrl, "assets"), "source", fileName) { Fields = fields };
            _logger.VendorUploadOpened(Vendor, "(made by the upload)", opening.JobId, opening.Size, form.ToString());
            return new VendorSession { Vendor = Name, Target = form };
        }

        // [Seed] file_size goes as a string, as in Prepr's example. reference_id = job id finds an asset a lost answer orphaned.
        var start = new JsonObject
        {
            ["label"] = "Video",
            ["upload_phase"] = "start",
            ["file_size"] = opening.Size.ToString(CultureInfo.InvariantCulture),
            ["name"] = name,
            ["reference_id"] = opening.JobId,
        };
        if (opening.Details.Description is { } description)
        {
            start["body"] = description;
        }

        var asset = await SendAsync("start of the video upload", HttpMethod.Post, "assets", _api.JsonBody(start), cancellationToken);
        var assetId = VendorJson.Text(asset, "id") ?? throw VendorJson.Unexpected(Vendor, "start of the video upload", 200, "the answer names no asset id");
        var spec = new PhasedChunkTargetSpec(_api.BaseUrl, assetId, fileName) { ChunkSize = _options.ChunkSize };
        _logger.VendorUploadOpened(Vendor, assetId, opening.JobId, opening.Size, spec.ToString());
        return new VendorSession { Vendor = Name, AssetId = assetId, Target = spec };
    }

    public ITransferTarget CreateTarget(VendorSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Target is FormUploadTargetSpec form
            ? new FormUploadTarget(form, _chunks, _ => ValueTask.FromResult(Authorization()), _transfer)
            : new PhasedChunkTarget(OpenedSession.Target<PhasedChunkTargetSpec>(session, Vendor), _chunks, _ => ValueTask.FromResult(Authorization()), _transfer, _loggers.CreateLogger<PhasedChunkTarget>());
    }

    public async Task<VendorCommit> CommitAsync(VendorSession session, UploadOpening opening, PartPlan plan, IReadOnlyList<PartReceipt> receipts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(receipts);
        var target = CreateTarget(session);
        // Video: the target checks the server holds every byte, then sends upload_phase=finish once. One-shot: the
        // upload made the asset, and its receipt carries the id Prepr answered.
        var committed = await VendorFailures.TranslateAsync(Vendor, "finish of the upload", () => target.CommitAsync(plan, [.. receipts], cancellationToken), cancellationToken);
        var assetId = session.Target is FormUploadTargetSpec ? receipts.Single().Tag! : OpenedSession.AssetId(session, Vendor);
        _logger.VendorUploadCommitted(Vendor, assetId, committed.Length);
        return new VendorCommit(session with { AssetId = assetId }, assetId, null);
    }

    public async Task<StepOutcome> SetMetadataAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        var update = new JsonObject();
        if (details.Title is { Length: > 0 } title)
        {
            update["name"] = title;
        }

        if (details.Description is { } description)
        {
            update["body"] = description;
        }

        // A Prepr asset's own text fields are name, body and author: "author" is the one metadata key with a place.
        var author = details.Metadata.FirstOrDefault(m => string.Equals(m.Key, "author", StringComparison.OrdinalIgnoreCase));
        if (author.Value is { } name)
        {
            update["author"] = name;
        }

        var unplaced = details.Metadata.Keys.Where(k => !string.Equals(k, "author", StringComparison.OrdinalIgnoreCase)).ToList();
        var note = unplaced.Count == 0 ? null : $"Prepr assets have no field for {string.Join(", ", unplaced)}: not set.";
        if (update.Count == 0)
        {
            return new StepOutcome(false, note ?? "No title, description or author to set.");
        }

        await UpdateAsync(session, update, "metadata", cancellationToken);
        return new StepOutcome(true, note);
    }

    /// <summary>
    /// Categories become tags, by their text: Prepr creates or reuses a tag from {"body": ...}, while collections
    /// are referenced only by the id of a collection that must exist already, and a category is a word, not an id.
    /// </summary>
    public async Task<StepOutcome> SetCategoriesAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        var categories = details.Categories.Where(c => !string.IsNullOrWhiteSpace(c)).Distinct(StringComparer.Ordinal).ToList();
        if (categories.Count == 0)
        {
            return OpenedSession.NothingToSet("categories");
        }

        var items = new JsonArray([.. categories.Select(c => (JsonNode)new JsonObject { ["body"] = c })]);
        await UpdateAsync(session, new JsonObject { ["tags"] = new JsonObject { ["items"] = items } }, "tags", cancellationToken);
        return new StepOutcome(true, "Set as Prepr tags.");
    }

    public Task<StepOutcome> SetStatusAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        return Task.FromResult(details.Status is null
            ? OpenedSession.NothingToSet("status")
            : new StepOutcome(false, $"Prepr assets have no status of their own (publishing applies to content items): '{details.Status}' was not set."));
    }

    /// <summary>
    /// Done when cdn_files holds a file (the documented signal beside the asset.uploaded webhook); failed only on the
    /// word "failed" [Assumed: no source shows how Prepr reports a failed encoding]; any other status (real assets show
    /// null, or publishing words) is still processing.
    /// </summary>
    public async Task<ProcessingCheck> CheckProcessingAsync(VendorSession session, CancellationToken cancellationToken = default)
    {
        var assetId = OpenedSession.AssetId(session, Vendor);
        var asset = await SendAsync("read of the asset", HttpMethod.Get, AssetPath(assetId), null, cancellationToken);
        var status = VendorJson.Text(asset, "status");
        var files = CdnFileCount(asset);
        _logger.VendorProcessingState(Vendor, assetId, $"status {status ?? "null"}, {files} cdn_files");
        return files > 0 ? new ProcessingCheck(true, false, null)
            : string.Equals(status, "failed", StringComparison.OrdinalIgnoreCase)
                ? new ProcessingCheck(true, true, VendorApiException.Truncate(VendorJson.Text(asset, "message")) ?? $"Prepr could not process asset {assetId} (status failed).")
            : new ProcessingCheck(false, false, $"Prepr asset {assetId} has no cdn_files yet (status {status ?? "null"}).");
    }

    public async Task<StepOutcome> CancelAsync(VendorSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.AssetId is not { } assetId)
        {
            return new StepOutcome(false, "Nothing was opened at Prepr.");
        }

        string outcome;
        try
        {
            await _api.SendAsync("delete of the asset", HttpMethod.Delete, AssetPath(assetId), null, cancellationToken);
            outcome = $"Deleted Prepr asset {assetId}.";
        }
        catch (VendorApiException e) when (e.Status == 404)
        {
            outcome = $"Prepr asset {assetId} was already gone.";
        }

        _logger.VendorUploadCancelled(Vendor, assetId, outcome);
        return new StepOutcome(true, outcome);
    }

    public override string ToString() => $"{nameof(PreprConnector)} {{ BaseUrl = {BlobSas.Redact(_api.BaseUrl)} }}";

    private async Task UpdateAsync(VendorSession session, JsonObject update, string what, CancellationToken cancellationToken)
    {
        var assetId = OpenedSession.AssetId(session, Vendor);
        await SendAsync($"update of the asset's {what}", HttpMethod.Put, AssetPath(assetId), _api.JsonBody(update), cancellationToken);
        _logger.VendorStepApplied(Vendor, what, assetId);
    }

    private AuthenticationHeaderValue Authorization() => new("Bearer", _accessToken);

    /// <summary>An API call whose answer is JSON; an error Prepr sends inside a 200 fails it as that error would.</summary>
    private async Task<JsonElement> SendAsync(string operation, HttpMethod method, string path, Func<HttpContent>? content, CancellationToken cancellationToken)
    {
        var answer = await _api.SendAsync<JsonElement>(operation, method, path, content, cancellationToken);
        return PhasedChunkReply.ErrorIn(answer) is { } error
            ? throw new VendorApiException(Vendor, operation, error.Status, VendorApiException.IsRetryableStatus(error.Status), $"an error inside a 200 answer: {error.Message}")
            : answer;
    }

    /// <summary>cdn_files as an array (as real assets show it) or as {"items": [...]} (how Prepr's REST API lists collections).</summary>
    private static int CdnFileCount(JsonElement asset)
    {
        if (asset.ValueKind != JsonValueKind.Object || !asset.TryGetProperty("cdn_files", out var files))
        {
            return 0;
        }

        var list = files.ValueKind == JsonValueKind.Object && files.TryGetProperty("items", out var items) ? items : files;
        return list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0;
    }

    private static string? ErrorMessage(JsonElement body) => PhasedChunkReply.ErrorIn(body)?.Message;

    private static string AssetPath(string assetId) => "assets/" + Uri.EscapeDataString(assetId);
}
