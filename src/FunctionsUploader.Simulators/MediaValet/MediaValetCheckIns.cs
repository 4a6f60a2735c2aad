using FunctionsUploader.Simulators.Storage;

namespace FunctionsUploader.Simulators.MediaValet;

/// <summary>
/// MediaValet's check-out / check-in of a new version (support article "How to Check-In and Check-Out an Asset",
/// seed 002). [Seed path] The article omits the validate and upload-URL paths; the simulator fixes
/// POST assets/{id}/checkIn/validate {"fileName"} and GET assets/{id}/checkIn/uploadUrl -> {uploadUrl, uploadFileName,
/// mediaFileId}; the finalizing PUT assets/{id}/checkIn answers 202 and adds a version.
/// </summary>
internal sealed class MediaValetCheckIns(MediaValetLibrary library, BlobStorage storage, TimeProvider time, ILogger<MediaValetCheckIns> logger)
{
    public IResult GetAsset(HttpContext context, string id) =>
        library.Find(context, id) is { Status: MediaValetStatus.Finalized } asset ? MediaValetJson.Payload(asset.ToRecord()) : MediaValetJson.NotFound(id);

    /// <summary>POST assets/{id}/checkOut with an optional ["comment"]: answers a SAS URL to download the current version.</summary>
    public async Task<IResult> CheckOutAsync(HttpContext context, string id)
    {
        if (library.Find(context, id) is not { Status: MediaValetStatus.Finalized } asset)
        {
            return MediaValetJson.NotFound(id);
        }

        string? comment = null;
        if (context.Request.ContentLength is not (null or 0) || context.Request.HasJsonContentType())
        {
            var (body, error) = await JsonBody.ReadAsync<string[]>(context.Request, MediaValetJson.Options);
            if (body is null || body.Length > 1)
            {
                return MediaValetJson.Error(400, error ?? "The check-out body is optional; when sent it is [\"<comment>\"].");
            }

            comment = body.FirstOrDefault();
        }

        string currentBlob;
        lock (asset.Gate)
        {
            if (asset.CheckOut is not null)
            {
                return MediaValetJson.Error(409, $"Asset {id} is already checked out.");
            }

            asset.CheckOut = new MediaValetCheckOut(comment);
            currentBlob = asset.CurrentBlob;
        }

        var download = storage.ReadUri(storage.Blob(storage.MediaValetContainer, currentBlob), asset.Tenant.Settings.SasLifetime);
        return MediaValetJson.Payload(new CheckOutResponse(asset.Id, comment, download.ToString()));
    }

    public async Task<IResult> ValidateAsync(HttpContext context, string id)
    {
        if (library.Find(context, id) is not { Status: MediaValetStatus.Finalized } asset)
        {
            return MediaValetJson.NotFound(id);
        }

        var (body, error) = await JsonBody.ReadAsync<CheckInValidationRequest>(context.Request, MediaValetJson.Options);
        if (!JsonBody.IsPlainFileName(body?.FileName))
        {
            return MediaValetJson.Error(400, error ?? "fileName is required: the new version's file name, without a directory.");
        }

        lock (asset.Gate)
        {
            if (asset.CheckOut is not { } checkOut)
            {
                return MediaValetJson.Error(409, $"Asset {id} is not checked out: POST assets/{id}/checkOut first.");
            }

            checkOut.ValidatedFileName = body!.FileName;
        }

        return MediaValetJson.Payload(new { id = asset.Id, fileName = body.FileName, isValid = true });
    }

    public IResult GetUploadUrl(HttpContext context, string id)
    {
        if (library.Find(context, id) is not { Status: MediaValetStatus.Finalized } asset)
        {
            return MediaValetJson.NotFound(id);
        }

        CheckInUploadAccess access;
        lock (asset.Gate)
        {
            if (asset.CheckOut is not { ValidatedFileName: { } fileName } checkOut)
            {
                return MediaValetJson.Error(409, $"Validate the check-in of asset {id} first (POST assets/{id}/checkIn/validate).");
            }

            checkOut.MediaFileId ??= Guid.NewGuid();
            checkOut.BlobName ??= $"{asset.Id:N}_v{asset.Versions.Count + 1}_{fileName}";
            var uploadUrl = storage.UploadUri(storage.Blob(storage.MediaValetContainer, checkOut.BlobName), asset.Tenant.Settings.SasLifetime);
            access = new CheckInUploadAccess(uploadUrl.ToString(), checkOut.BlobName, checkOut.MediaFileId.Value);
        }

        return MediaValetJson.Payload(access);
    }

    /// <summary>PUT assets/{id}/checkIn: the new version's blob must be committed with fileSizeInBytes bytes; 202 Accepted.</summary>
    public async Task<IResult> CheckInAsync(HttpContext context, string id)
    {
        if (library.Find(context, id) is not { Status: MediaValetStatus.Finalized } asset)
        {
            return MediaValetJson.NotFound(id);
        }

        var (body, error) = await JsonBody.ReadAsync<CheckInRequest>(context.Request, MediaValetJson.Options);
        if (body is null)
        {
            return MediaValetJson.Error(400, error!);
        }

        MediaValetCheckOut checkOut;
        lock (asset.Gate)
        {
            if (asset.CheckOut is not { BlobName: not null } pending)
            {
                return MediaValetJson.Error(409, $"Asset {id} has no check-in in progress: check out, validate and get an upload URL first.");
            }

            checkOut = pending;
        }

        var mismatch =
            !Guid.TryParse(body.Id, out var assetId) || assetId != asset.Id ? "id must be the asset's id."
            : !Guid.TryParse(body.MediaFileId, out var mediaFileId) || mediaFileId != checkOut.MediaFileId ? "mediaFileId must be the one the upload URL call returned."
            : body.UploadFileName != checkOut.BlobName ? $"uploadFileName must be {checkOut.BlobName}."
            : body.UploadUrl is not null && !body.UploadUrl.Contains(Uri.EscapeDataString(checkOut.BlobName), StringComparison.Ordinal) ? "uploadUrl is not the URL the upload URL call returned."
            : string.IsNullOrWhiteSpace(body.FileName) ? "fileName is required."
            : body.FileSizeInBytes is not >= 0 ? "fileSizeInBytes is required."
            : null;
        mismatch ??= await library.CommittedSizeProblemAsync(checkOut.BlobName, body.FileSizeInBytes!.Value, context.RequestAborted);
        if (mismatch is not null)
        {
            Logs.UploadRejected(logger, asset.Tenant.Id, SimulatedVendor.MediaValet, id, mismatch);
            return MediaValetJson.Error(400, mismatch);
        }

        lock (asset.Gate)
        {
            if (asset.CheckOut == checkOut)
            {
                asset.Versions.Add(new MediaValetVersion(
                    asset.Versions.Count + 1, checkOut.BlobName, checkOut.ValidatedFileName!, body.Comment ?? checkOut.Comment, time.GetUtcNow()));
                asset.FileSizeInBytes = body.FileSizeInBytes;
                asset.CheckOut = null;
            }
        }

        Logs.AssetFinalized(logger, asset.Tenant.Id, SimulatedVendor.MediaValet, id, body.FileSizeInBytes!.Value);
        return MediaValetJson.Payload(asset.ToRecord(), StatusCodes.Status202Accepted);
    }
}
