using System.Collections.Concurrent;
using FunctionsUploader.Simulators.Inspection;
using FunctionsUploader.Simulators.Storage;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Panopto;

/// <summary>
/// Panopto's sessionUpload (Panopto/SessionUploadExample, upload-python-sample): POST opens one and answers 201 with
/// an UploadTarget on S3 (s3rver); the client uploads media and manifest there by S3 multipart; PUT with State 1
/// closes it; GET polls UploadComplete(1) -> Processing(3) -> Complete(4), or ProcessingError(5) when the manifest
/// or a file it names is missing (as Panopto reports it: after the PUT, by state); DELETE cancels:
/// UploadCancelled(2) -> DeletingFiles(6) -> Deleted(7). Part sizes (5..25 MB) are checked by the upload target
/// (<see cref="PanoptoUploadTargets"/>).
/// </summary>
internal sealed class PanoptoSessionUploads(S3Storage storage, TimeProvider time, ILogger<PanoptoSessionUploads> logger) : IAssetInspector
{
    private readonly ConcurrentDictionary<Guid, SessionUpload> _uploads = new();

    public SimulatedVendor Vendor => SimulatedVendor.Panopto;

    public async Task<IResult> CreateAsync(HttpContext context)
    {
        var (body, error) = await JsonBody.ReadAsync<SessionUploadRequest>(context.Request, PanoptoJson.Options);
        if (body?.FolderId is not { } folderId || folderId == Guid.Empty)
        {
            return PanoptoJson.Error(400, error ?? "FolderId is required: the id of the folder the session goes to.");
        }

        var id = Guid.NewGuid();
        // The server's own Panopto/Upload/{id}, as Panopto answers it (PanoptoUploadTargets fronts s3rver there).
        var target = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/panopto/Panopto/Upload/{id}";
        var upload = new SessionUpload(SimulatedRequest.Of(context).Tenant!, id, folderId, time.GetUtcNow()) { UploadTarget = target };
        _uploads[upload.Id] = upload;
        SimulatedRequest.Of(context).ResourceId = upload.Id.ToString();
        return PanoptoJson.Ok(upload.ToBody(upload.UploadTarget), StatusCodes.Status201Created);
    }

    /// <summary>GET sessionUpload/{id}: each read moves processing (or deletion) one step on.</summary>
    public IResult Get(HttpContext context, string id)
    {
        if (Find(context, id) is not { } upload)
        {
            return PanoptoJson.NotFound(id);
        }

        lock (upload.Gate)
        {
            upload.Advance();
        }

        return PanoptoJson.Ok(upload.ToBody(upload.UploadTarget));
    }

    /// <summary>PUT sessionUpload/{id} with the whole SessionUpload and State 1: the files are read as they are now.</summary>
    public async Task<IResult> FinishAsync(HttpContext context, string id)
    {
        if (Find(context, id) is not { } upload)
        {
            return PanoptoJson.NotFound(id);
        }

        var (body, error) = await JsonBody.ReadAsync<SessionUploadRequest>(context.Request, PanoptoJson.Options);
        var problem = body is null ? error
            : body.Id != upload.Id || body.FolderId != upload.FolderId || body.UploadTarget != upload.UploadTarget ? "Send back the whole SessionUpload object (ID, FolderId, UploadTarget as created) with State 1."
            : body.State != (int)PanoptoState.UploadComplete ? "Only State 1 (UploadComplete) can be set; cancel with DELETE."
            : null;
        if (problem is not null)
        {
            return PanoptoJson.Error(400, problem);
        }

        lock (upload.Gate)
        {
            if (upload.State is PanoptoState.UploadComplete or PanoptoState.Processing or PanoptoState.Complete)
            {
                return PanoptoJson.Ok(upload.ToBody(upload.UploadTarget));
            }

            if (upload.State != PanoptoState.Uploading)
            {
                return PanoptoJson.Error(400, $"The upload is {upload.State}; it cannot be completed.");
            }
        }

        var files = await ListAsync(upload, context.RequestAborted);
        var check = await PanoptoManifest.CheckAsync(files.Keys, async name => await storage.ReadSmallAsync(Prefix(upload) + name, PanoptoManifest.MaxManifestBytes, context.RequestAborted));
        lock (upload.Gate)
        {
            upload.Complete(check, ProcessingCountdown.For(SimulatedRequest.Of(context)));
        }

        if (check.Problem is { } rejected)
        {
            Logs.UploadRejected(logger, upload.Tenant.Id, Vendor, id, rejected);
        }
        else
        {
            Logs.AssetFinalized(logger, upload.Tenant.Id, Vendor, id, files.GetValueOrDefault(check.PrimaryFile!));
        }

        return PanoptoJson.Ok(upload.ToBody(upload.UploadTarget));
    }

    /// <summary>DELETE sessionUpload/{id}: cancels it and deletes what was uploaded, unless the session is already made.</summary>
    public async Task<IResult> CancelAsync(HttpContext context, string id)
    {
        if (Find(context, id) is not { } upload)
        {
            return PanoptoJson.NotFound(id);
        }

        lock (upload.Gate)
        {
            if (upload.State == PanoptoState.Complete)
            {
                return PanoptoJson.Error(400, "The upload is complete and its session exists; delete the session instead.");
            }

            if (upload.State is PanoptoState.Uploading or PanoptoState.UploadComplete or PanoptoState.Processing or PanoptoState.ProcessingError)
            {
                upload.State = PanoptoState.UploadCancelled;
            }
        }

        foreach (var name in (await ListAsync(upload, context.RequestAborted)).Keys)
        {
            await storage.DeleteAsync(Prefix(upload) + name, CancellationToken.None);
        }

        return PanoptoJson.Ok(upload.ToBody(upload.UploadTarget));
    }

    public IReadOnlyList<string> AssetIds(Tenant tenant) =>
        [.. _uploads.Values.Where(u => u.Tenant == tenant).OrderBy(u => u.CreatedAt).Select(u => u.Id.ToString())];

    public async Task<AssetReport?> InspectAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid) || !_uploads.TryGetValue(guid, out var upload) || upload.Tenant != tenant)
        {
            return null;
        }

        var files = new List<FileReport>();
        foreach (var name in (await ListAsync(upload, cancellationToken)).Keys.Order(StringComparer.Ordinal))
        {
            if (await storage.DigestAsync(Prefix(upload) + name, 0, cancellationToken) is { } digest)
            {
                files.Add(new FileReport(name, digest.Size, digest.Md5));
            }
        }

        SessionUploadBody body;
        string? title, primary;
        lock (upload.Gate)
        {
            body = upload.ToBody(upload.UploadTarget);
            (title, primary) = (upload.Manifest?.Title, upload.Manifest?.PrimaryFile);
        }

        var primaryFile = files.FirstOrDefault(f => f.Name == primary);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["FolderId"] = body.FolderId.ToString(), ["State"] = body.State.ToString(CultureInfo.InvariantCulture) };
        foreach (var (name, value) in new[] { ("SessionId", body.SessionId?.ToString()), ("Title", title), ("Message", body.Message) })
        {
            if (value is not null)
            {
                metadata[name] = value;
            }
        }

        return new AssetReport
        {
            Vendor = Vendor,
            Id = upload.Id.ToString(),
            Status = ((PanoptoState)body.State).ToString(),
            FileName = primary,
            Size = primaryFile?.Size,
            Md5 = primaryFile?.Md5,
            Metadata = metadata,
            Files = files,
            Requests = tenant.Requests.Snapshot(upload.Id.ToString()),
        };
    }

    /// <summary>The tenant whose session upload <paramref name="id"/> is, for requests to its upload target (which carry no token).</summary>
    public Tenant? TenantOf(string id) => Guid.TryParse(id, out var guid) && _uploads.TryGetValue(guid, out var upload) ? upload.Tenant : null;

    private static string Prefix(SessionUpload upload) => upload.Id + "/";

    private SessionUpload? Find(HttpContext context, string id) =>
        Guid.TryParse(id, out var guid) && _uploads.TryGetValue(guid, out var upload) && upload.Tenant == SimulatedRequest.Of(context).Tenant ? upload : null;

    /// <summary>The upload's files by name relative to its prefix, with their sizes.</summary>
    private async Task<Dictionary<string, long>> ListAsync(SessionUpload upload, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var (key, size) in storage.ListAsync(Prefix(upload), cancellationToken))
        {
            files[key[Prefix(upload).Length..]] = size;
        }

        return files;
    }

    private sealed class SessionUpload(Tenant tenant, Guid id, Guid folderId, DateTimeOffset createdAt)
    {
        /// <summary>
        /// https://{server}/panopto/Panopto/Upload/{id}: a client splits it as Panopto's samples split
        /// https://{host}/Panopto/Upload/{guid}: the last segment is the key prefix, the one before it the bucket, the
        /// rest the S3 service URL; objects go to "{prefix}/{file name}" (in s3rver, "{id}/{file name}").
        /// </summary>
        public required string UploadTarget { get; init; }

        private ProcessingCountdown? _processing;

        public Lock Gate { get; } = new();

        public Tenant Tenant { get; } = tenant;

        public Guid Id { get; } = id;

        public Guid FolderId { get; } = folderId;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public PanoptoState State { get; set; }

        public Guid? SessionId { get; private set; }

        public ManifestCheck? Manifest { get; private set; }

        public string? Message { get; private set; }

        public void Complete(ManifestCheck manifest, ProcessingCountdown processing)
        {
            Manifest = manifest;
            _processing = processing;
            State = PanoptoState.UploadComplete;
        }

        /// <summary>One status read's worth of progress.</summary>
        public void Advance()
        {
            switch (State)
            {
                case PanoptoState.UploadComplete or PanoptoState.Processing when Manifest?.Problem is { } problem:
                    (State, Message) = (PanoptoState.ProcessingError, problem);
                    break;
                case PanoptoState.UploadComplete or PanoptoState.Processing:
                    SessionId ??= Guid.NewGuid();
                    State = !_processing!.Read() ? PanoptoState.Processing : _processing.Fails ? PanoptoState.ProcessingError : PanoptoState.Complete;
                    Message = State == PanoptoState.ProcessingError ? "Processing failed (simulated)." : null;
                    break;
                case PanoptoState.UploadCancelled:
                    State = PanoptoState.DeletingFiles;
                    break;
                case PanoptoState.DeletingFiles:
                    State = PanoptoState.Deleted;
                    break;
            }
        }

        public SessionUploadBody ToBody(string uploadTarget) =>
            new(Id, FolderId, SessionId, uploadTarget, (int)State, 0, Message is null ? 0 : 1, Message);
    }
}
