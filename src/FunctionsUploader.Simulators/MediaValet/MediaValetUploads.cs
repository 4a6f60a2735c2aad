using Microsoft.Net.Http.Headers;
using FunctionsUploader.Simulators.Inspection;
using FunctionsUploader.Simulators.Storage;

namespace FunctionsUploader.Simulators.MediaValet;

/// <summary>
/// MediaValet's new-asset flow (developer.mediavalet.com/uploading and the official UploadBigAssetsSample): a holder
/// asset with a SAS URL, bytes straight to Azure Blob, then fill, categories, attributes, keywords and the
/// finalizing JSON Patch. Data is validated against the blob actually committed, as MediaValet does at the PATCH.
/// </summary>
internal sealed class MediaValetUploads(MediaValetLibrary library, BlobStorage storage, TimeProvider time, ILogger<MediaValetUploads> logger)
{
    public async Task<IResult> CreateAsync(HttpContext context)
    {
        var (body, error) = await JsonBody.ReadAsync<CreateUploadRequest>(context.Request, MediaValetJson.Options);
        if (body is null)
        {
            return MediaValetJson.Error(400, error!);
        }

        if (!JsonBody.IsPlainFileName(body.Filename))
        {
            return MediaValetJson.Error(400, "filename is required: the file's name without a directory.");
        }

        var tenant = SimulatedRequest.Of(context).Tenant!;
        var id = Guid.NewGuid();
        var asset = new MediaValetAsset(tenant, id, body.Filename!, $"{id:N}_{body.Filename}", time.GetUtcNow());
        library.Add(asset);
        SimulatedRequest.Of(context).ResourceId = id.ToString();
        var uploadUrl = storage.UploadUri(storage.Blob(storage.MediaValetContainer, asset.UploadFilename), tenant.Settings.SasLifetime);
        return MediaValetJson.Payload(new UploadAccess(id, uploadUrl.ToString(), asset.UploadFilename));
    }

    public IResult Get(HttpContext context, string id) =>
        library.Find(context, id) is { } asset ? MediaValetJson.Payload(asset.ToRecord()) : MediaValetJson.NotFound(id);

    public async Task<IResult> UpdateAsync(HttpContext context, string id)
    {
        if (library.Find(context, id) is not { } asset)
        {
            return MediaValetJson.NotFound(id);
        }

        var (body, error) = await JsonBody.ReadAsync<UpdateUploadRequest>(context.Request, MediaValetJson.Options);
        if (body is null)
        {
            return MediaValetJson.Error(400, error!);
        }

        if (body.Filename != asset.UploadFilename)
        {
            return MediaValetJson.Error(400, $"filename must be the UploadFilename POST /uploads returned ({asset.UploadFilename}).");
        }

        if (body.FileSizeInBytes is not { } size || size < 0)
        {
            return MediaValetJson.Error(400, "fileSizeInBytes is required: the size of the file committed at the upload URL.");
        }

        if (await library.CommittedSizeProblemAsync(asset.UploadFilename, size, context.RequestAborted) is { } problem)
        {
            return MediaValetJson.Error(400, problem);
        }

        lock (asset.Gate)
        {
            if (asset.Status != MediaValetStatus.Uploading)
            {
                return MediaValetJson.Error(409, $"Upload {id} is already finalized.");
            }

            asset.Title = string.IsNullOrWhiteSpace(body.Title) ? asset.OriginalFilename : body.Title;
            asset.Description = body.Description;
            asset.FileSizeInBytes = size;
        }

        return MediaValetJson.Payload(asset.ToRecord());
    }

    public async Task<IResult> AddCategoriesAsync(HttpContext context, string id) =>
        await ChangeListAsync(context, id, a => a.Categories, add: true, requireGuids: true);

    public async Task<IResult> RemoveCategoriesAsync(HttpContext context, string id) =>
        await ChangeListAsync(context, id, a => a.Categories, add: false, requireGuids: true);

    public async Task<IResult> AddKeywordsAsync(HttpContext context, string id) =>
        await ChangeListAsync(context, id, a => a.Keywords, add: true, requireGuids: false);

    public async Task<IResult> RemoveKeywordsAsync(HttpContext context, string id) =>
        await ChangeListAsync(context, id, a => a.Keywords, add: false, requireGuids: false);

    public async Task<IResult> AddAttributesAsync(HttpContext context, string id)
    {
        if (library.Find(context, id) is not { } asset)
        {
            return MediaValetJson.NotFound(id);
        }

        var (body, error) = await JsonBody.ReadAsync<AttributesRequest>(context.Request, MediaValetJson.Options);
        if (body?.Attributes is not { Count: > 0 } attributes)
        {
            return MediaValetJson.Error(400, error ?? "The body must be {\"attributes\": {\"<name>\": \"<value>\", ...}} with at least one attribute.");
        }

        if (attributes.FirstOrDefault(a => a.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(a.Key)) is { Key: not null } bad)
        {
            return MediaValetJson.Error(400, $"Attribute '{bad.Key}' must have a name and a string value.");
        }

        lock (asset.Gate)
        {
            foreach (var (name, value) in attributes)
            {
                asset.Attributes[name] = value.GetString()!;
            }
        }

        return MediaValetJson.Payload(asset.ToRecord());
    }

    /// <summary>
    /// PATCH [{"op":"replace","path":"/status","value":1}] as application/json, the only type the official sample
    /// sends ([Assumed] others get 415): the blob must be there with the size the PUT declared.
    /// </summary>
    public async Task<IResult> FinalizeAsync(HttpContext context, string id)
    {
        if (library.Find(context, id) is not { } asset)
        {
            return MediaValetJson.NotFound(id);
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || !string.Equals(type.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return MediaValetJson.Error(415, $"The finalize takes Content-Type application/json, not {context.Request.ContentType ?? "none"}.");
        }

        var (patch, error) = await JsonBody.ReadAsync<JsonElement[]>(context.Request, MediaValetJson.Options);
        if (patch is null || !IsFinalizePatch(patch))
        {
            return MediaValetJson.Error(400, error ?? "The body must be the JSON Patch [{\"op\":\"replace\",\"path\":\"/status\",\"value\":1}].");
        }

        if (asset.Status == MediaValetStatus.Finalized)
        {
            return MediaValetJson.Payload(asset.ToRecord());
        }

        if (asset.FileSizeInBytes is not { } size)
        {
            return MediaValetJson.Error(400, $"Upload {id} was never filled: PUT /uploads/{id} with filename, title and fileSizeInBytes first.");
        }

        if (await library.CommittedSizeProblemAsync(asset.UploadFilename, size, context.RequestAborted) is { } problem)
        {
            Logs.UploadRejected(logger, asset.Tenant.Id, SimulatedVendor.MediaValet, id, problem);
            return MediaValetJson.Error(400, problem);
        }

        lock (asset.Gate)
        {
            if (asset.Status == MediaValetStatus.Uploading)
            {
                asset.Status = MediaValetStatus.Finalized;
                asset.Versions.Add(new MediaValetVersion(1, asset.UploadFilename, asset.OriginalFilename, null, time.GetUtcNow()));
            }
        }

        Logs.AssetFinalized(logger, asset.Tenant.Id, SimulatedVendor.MediaValet, id, size);
        return MediaValetJson.Payload(asset.ToRecord());
    }

    /// <summary>DELETE /uploads/{id}: cancels the upload and removes its blob.</summary>
    public async Task<IResult> CancelAsync(HttpContext context, string id)
    {
        if (library.Find(context, id) is not { } asset)
        {
            return MediaValetJson.NotFound(id);
        }

        lock (asset.Gate)
        {
            if (asset.Status == MediaValetStatus.Finalized)
            {
                return MediaValetJson.Error(409, $"{id} is a finalized asset, not an upload in progress.");
            }

            asset.Status = MediaValetStatus.Cancelled;
        }

        await storage.Blob(storage.MediaValetContainer, asset.UploadFilename).DeleteIfExistsAsync(cancellationToken: context.RequestAborted);
        return Results.NoContent();
    }

    private static bool IsFinalizePatch(JsonElement[] patch) =>
        patch.Length == 1 &&
        patch[0].ValueKind == JsonValueKind.Object &&
        patch[0].TryGetProperty("op", out var op) && op.ValueKind == JsonValueKind.String && op.GetString() == "replace" &&
        patch[0].TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String && string.Equals(path.GetString(), "/status", StringComparison.OrdinalIgnoreCase) &&
        patch[0].TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var status) && status == 1;

    private async Task<IResult> ChangeListAsync(HttpContext context, string id, Func<MediaValetAsset, List<string>> list, bool add, bool requireGuids)
    {
        if (library.Find(context, id) is not { } asset)
        {
            return MediaValetJson.NotFound(id);
        }

        var (values, error) = await JsonBody.ReadAsync<string[]>(context.Request, MediaValetJson.Options);
        if (values is not { Length: > 0 } || values.Any(string.IsNullOrWhiteSpace))
        {
            return MediaValetJson.Error(400, error ?? "The body must be a JSON array of one or more ids, e.g. [\"<id>\"].");
        }

        if (requireGuids && values.FirstOrDefault(v => !Guid.TryParse(v, out _)) is { } bad)
        {
            return MediaValetJson.Error(400, $"'{bad}' is not a category id (a GUID).");
        }

        lock (asset.Gate)
        {
            var target = list(asset);
            foreach (var value in values)
            {
                if (!add)
                {
                    target.RemoveAll(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase));
                }
                else if (!target.Contains(value, StringComparer.OrdinalIgnoreCase))
                {
                    target.Add(value);
                }
            }
        }

        return MediaValetJson.Payload(asset.ToRecord());
    }
}
