using System.Collections.Concurrent;
using FunctionsUploader.Simulators.Inspection;
using FunctionsUploader.Simulators.Storage;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Prepr;

/// <summary>
/// Prepr's assets (docs.prepr.io "Managing assets"): a video starts, takes chunks (<see cref="PreprChunks"/>), then
/// finish commits the received blocks in Azure Blob and queues encoding; a photo, document or audio file arrives whole
/// as the "source" of one multipart POST /assets and is processed at once; GET, PUT and DELETE of the asset.
/// </summary>
internal sealed class PreprAssets(BlobStorage storage, TimeProvider time, ILogger<PreprAssets> logger) : IAssetInspector
{
    /// <summary>[Assumed] Prepr's labels for what a "source" upload makes, by extension; videos are refused there (they go in chunks).</summary>
    private static readonly Dictionary<string, string> SourceLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "Photo", [".jpeg"] = "Photo", [".png"] = "Photo", [".gif"] = "Photo", [".webp"] = "Photo", [".svg"] = "Photo",
        [".tif"] = "Photo", [".tiff"] = "Photo", [".bmp"] = "Photo", [".heic"] = "Photo", [".avif"] = "Photo",
        [".mp3"] = "Audio", [".wav"] = "Audio", [".m4a"] = "Audio", [".aac"] = "Audio", [".ogg"] = "Audio", [".oga"] = "Audio",
        [".flac"] = "Audio", [".aif"] = "Audio", [".aiff"] = "Audio",
        [".pdf"] = "Document", [".doc"] = "Document", [".docx"] = "Document", [".xls"] = "Document", [".xlsx"] = "Document",
        [".ppt"] = "Document", [".pptx"] = "Document", [".odt"] = "Document", [".ods"] = "Document", [".odp"] = "Document",
        [".rtf"] = "Document", [".txt"] = "Document", [".csv"] = "Document", [".md"] = "Document", [".zip"] = "Document",
    };

    private readonly ConcurrentDictionary<string, PreprAsset> _assets = new(StringComparer.Ordinal);

    public SimulatedVendor Vendor => SimulatedVendor.Prepr;

    /// <summary>The calling tenant's asset, unless deleted.</summary>
    public PreprAsset? Find(HttpContext context, string id) =>
        _assets.TryGetValue(id, out var asset) && asset.Tenant == SimulatedRequest.Of(context).Tenant && !asset.Deleted ? asset : null;

    public async Task<IResult> StartAsync(HttpContext context)
    {
        var (body, error) = await JsonBody.ReadAsync<StartAssetRequest>(context.Request, PreprJson.Options);
        if (body is null)
        {
            return PreprJson.Error(400, error!);
        }

        var problem =
            body.Label != "Video" ? "label must be \"Video\": only the chunked video upload is simulated."
            : body.UploadPhase != "start" ? "upload_phase must be \"start\"."
            : FileSizeOf(body.FileSize) is not > 0 ? "file_size is required: the video's size in bytes, as a string (\"8308859\")."
            : ItemsProblem(body.Tags, "tags") ?? ItemsProblem(body.Collections, "collections");
        if (problem is not null)
        {
            return PreprJson.Error(400, problem);
        }

        var tenant = SimulatedRequest.Of(context).Tenant!;
        var asset = new PreprAsset(tenant, Guid.NewGuid().ToString(), "Video", FileSizeOf(body.FileSize)!.Value, tenant.Settings.PreprChunkSize, time.GetUtcNow())
        {
            Name = body.Name,
            Body = body.Body,
            Author = body.Author,
            ReferenceId = body.ReferenceId,
            Tags = body.Tags,
            Collections = body.Collections,
        };
        _assets[asset.Id] = asset;
        SimulatedRequest.Of(context).ResourceId = asset.Id;
        return PreprJson.Ok(asset.ToBody(), StatusCodes.Status201Created);
    }

    /// <summary>
    /// POST /assets, multipart/form-data: the whole file as "source" (images, documents, audio) plus optional name,
    /// body, author and reference_id; the asset is made with its bytes and goes straight to processing.
    /// </summary>
    public async Task<IResult> UploadAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var file = form.Files["source"];
        var label = file is null ? null : SourceLabels.GetValueOrDefault(Path.GetExtension(file.FileName));
        var problem =
            file is null ? "source is required: the file, as multipart/form-data. Videos start with {\"upload_phase\": \"start\"} and go in chunks."
            : file.Length == 0 ? "source is empty."
            : label is null ? $"'{file.FileName}' is not an image, document or audio file; videos go in chunks (upload_phase start, transfer, finish)."
            : null;
        if (problem is not null)
        {
            return PreprJson.Error(400, problem);
        }

        var request = SimulatedRequest.Of(context);
        var asset = new PreprAsset(request.Tenant!, Guid.NewGuid().ToString(), label!, file!.Length, request.Tenant!.Settings.PreprChunkSize, time.GetUtcNow())
        {
            Name = Field(form, "name"),
            Body = Field(form, "body"),
            Author = Field(form, "author"),
            ReferenceId = Field(form, "reference_id"),
            OriginalName = file.FileName,
        };
        var blob = storage.Blob(storage.PreprContainer, asset.Id);
        await using (var content = file.OpenReadStream())
        {
            await blob.UploadAsync(content, new Azure.Storage.Blobs.Models.BlobUploadOptions(), context.RequestAborted);
        }

        asset.Accept([], file.Length, time.GetUtcNow());
        asset.Processing = ProcessingCountdown.For(request);
        _assets[asset.Id] = asset;
        request.ResourceId = asset.Id;
        Logs.AssetFinalized(logger, asset.Tenant.Id, Vendor, asset.Id, asset.FileSize);
        return PreprJson.Ok(asset.ToBody(), StatusCodes.Status201Created);
    }

    /// <summary>GET /assets/{id}: while processing, each read moves it on.</summary>
    public IResult Get(HttpContext context, string id)
    {
        if (Find(context, id) is not { } asset)
        {
            return PreprJson.NotFound(id);
        }

        asset.Processing?.Read();
        return PreprJson.Ok(asset.ToBody());
    }

    public async Task<IResult> UpdateAsync(HttpContext context, string id)
    {
        if (Find(context, id) is not { } asset)
        {
            return PreprJson.NotFound(id);
        }

        var (body, error) = await JsonBody.ReadAsync<UpdateAssetRequest>(context.Request, PreprJson.Options);
        if ((body is null ? error : ItemsProblem(body.Tags, "tags") ?? ItemsProblem(body.Collections, "collections")) is { } problem)
        {
            return PreprJson.Error(400, problem);
        }

        lock (asset.Gate)
        {
            asset.Name = body!.Name ?? asset.Name;
            asset.Body = body.Body ?? asset.Body;
            asset.Author = body.Author ?? asset.Author;
            asset.ReferenceId = body.ReferenceId ?? asset.ReferenceId;
            asset.Tags = body.Tags ?? asset.Tags;
            asset.Collections = body.Collections ?? asset.Collections;
            asset.ChangedOn = time.GetUtcNow();
        }

        return PreprJson.Ok(asset.ToBody());
    }

    public async Task<IResult> DeleteAsync(HttpContext context, string id)
    {
        if (Find(context, id) is not { } asset)
        {
            return PreprJson.NotFound(id);
        }

        lock (asset.Gate)
        {
            asset.Deleted = true;
        }

        await storage.Blob(storage.PreprContainer, asset.Id).DeleteIfExistsAsync(cancellationToken: context.RequestAborted);
        return Results.NoContent();
    }

    /// <summary>POST /assets/{id}/multipart {"upload_phase": "finish"}: every byte must be in; commits them and queues encoding.</summary>
    public async Task<IResult> FinishAsync(HttpContext context, string id)
    {
        if (Find(context, id) is not { } asset)
        {
            return PreprJson.NotFound(id);
        }

        var (body, error) = await JsonBody.ReadAsync<FinishRequest>(context.Request, PreprJson.Options);
        if (body?.UploadPhase != "finish")
        {
            return PreprJson.Error(400, error ?? "A JSON request to /multipart finishes the upload: {\"upload_phase\": \"finish\"}. Chunks go as multipart/form-data.");
        }

        if (!asset.TryStartReceiving())
        {
            return PreprJson.Error(409, $"A chunk of asset {id} is still being received.");
        }

        try
        {
            if (asset.Processing is not null)
            {
                return PreprJson.Ok(asset.ToBody());
            }

            if (asset.Received != asset.FileSize)
            {
                return PreprJson.Error(400, $"Only {asset.Received} of {asset.FileSize} bytes are in: transfer the rest before finishing.");
            }

            await storage.Blob(storage.PreprContainer, asset.Id).CommitBlockListAsync(asset.BlockIds, cancellationToken: context.RequestAborted);
            lock (asset.Gate)
            {
                asset.Processing = ProcessingCountdown.For(SimulatedRequest.Of(context));
                asset.ChangedOn = time.GetUtcNow();
            }

            Logs.AssetFinalized(logger, asset.Tenant.Id, Vendor, asset.Id, asset.FileSize);
            return PreprJson.Ok(asset.ToBody());
        }
        finally
        {
            asset.StopReceiving();
        }
    }

    public IReadOnlyList<string> AssetIds(Tenant tenant) =>
        [.. _assets.Values.Where(a => a.Tenant == tenant).OrderBy(a => a.CreatedOn).Select(a => a.Id)];

    public async Task<AssetReport?> InspectAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        if (!_assets.TryGetValue(id, out var asset) || asset.Tenant != tenant)
        {
            return null;
        }

        var body = asset.ToBody();
        var digest = await storage.DigestAsync(storage.Blob(storage.PreprContainer, asset.Id), cancellationToken);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["file_size"] = asset.FileSize.ToString(CultureInfo.InvariantCulture), ["received"] = asset.Received.ToString(CultureInfo.InvariantCulture) };
        foreach (var (name, value) in new[] { ("name", body.Name), ("body", body.Body), ("author", body.Author), ("reference_id", body.ReferenceId) })
        {
            if (value is not null)
            {
                metadata[name] = value;
            }
        }

        return new AssetReport
        {
            Vendor = Vendor,
            Id = asset.Id,
            Status = asset.State,
            FileName = asset.OriginalName,
            Size = digest?.Size,
            Md5 = digest?.Md5,
            Metadata = metadata,
            Categories = ItemValues(body.Collections),
            Keywords = ItemValues(body.Tags),
            Requests = tenant.Requests.Snapshot(asset.Id),
        };
    }

    private static string? Field(IFormCollection form, string name) => form.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;

    private static long? FileSizeOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number
        : null;

    /// <summary>Prepr's tags and collections are {"items": [{"id" | "body" | "slug": "..."}]}.</summary>
    private static string? ItemsProblem(JsonElement? value, string name) =>
        value is not { } element || element.ValueKind == JsonValueKind.Null ||
        (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array &&
         items.EnumerateArray().All(i => i.ValueKind == JsonValueKind.Object && i.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.String)))
            ? null
            : $"{name} must be {{\"items\": [{{\"id\" | \"body\" | \"slug\": \"...\"}}]}}.";

    private static IReadOnlyList<string> ItemValues(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.Object } element && element.TryGetProperty("items", out var items)
            ? [.. items.EnumerateArray().Select(i => i.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.String).Value.GetString()!)]
            : [];
}
