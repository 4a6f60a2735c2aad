using Azure.Storage.Blobs;
using FunctionsUploader.Storage;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Intake;

/// <summary>
/// Turns a file in staging (a blob event or an HTTP request) or a local file (the CLI) into one validated
/// <see cref="UploadJob"/> per vendor, before anything starts. Choices layer up: the route's defaults, then
/// the blob's metadata (upload_* keys), then the sidecar or request.
/// </summary>
public sealed class UploadIntake(BlobContainerClient staging, IntakeOptions options, IReadOnlyCollection<string> vendors, WorkflowSettings settings)
{
    /// <summary>The staging container's name.</summary>
    public string StagingContainer => staging.Name;

    /// <summary>The blob metadata keys that override a route's defaults (Azure metadata names allow no '-').</summary>
    public const string MetadataPrefix = "upload_";

    /// <summary>The upload_* metadata keys a blob may carry; any other upload_* key is a typo, refused.</summary>
    public static readonly IReadOnlyList<string> MetadataKeys = ["title", "description", "vendors", "categories", "status", "folder"];

    /// <summary>Jobs for a blob that arrived in staging; none for the sidecars and error reports that travel beside files.</summary>
    public async Task<IReadOnlyList<UploadJob>> FromBlobAsync(string blobName, CancellationToken cancellationToken = default)
    {
        if (BlobNames.IsCompanionFile(blobName))
        {
            return [];
        }

        return await JobsForAsync(blobName, request: null, cancellationToken);
    }

    /// <summary>Jobs for an HTTP start request: the request names the source and may add what a sidecar would.</summary>
    public async Task<IReadOnlyList<UploadJob>> FromRequestAsync(UploadInstructions request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Source))
        {
            throw new IntakeException("request", ["field 'source' is required: the name of the file in the staging container"]);
        }

        if (BlobNames.IsCompanionFile(request.Source))
        {
            throw new IntakeException(request.Source, ["is a sidecar or error report, not a media file"]);
        }

        return await JobsForAsync(request.Source, request, cancellationToken);
    }

    /// <summary>A job for a local file (the CLI): no route, no sidecar lookup; the instructions say it all.</summary>
    public static UploadJob ForLocalFile(string path, UploadInstructions instructions, IReadOnlyCollection<string> vendors, WorkflowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new IntakeException(path, ["the file does not exist"]);
        }

        var problems = new List<string>();
        var chosen = ChooseVendors(instructions.Vendors ?? [], vendors, problems);
        if (chosen.Count != 1)
        {
            problems.Add(chosen.Count == 0 ? "name one vendor" : "a local file goes to one vendor per run");
        }

        CheckJobId(instructions.JobId, problems);
        if (instructions.CallbackUrl is not null)
        {
            problems.Add("a local file has no callback: the command line waits for the result");
        }

        if (problems.Count > 0)
        {
            throw new IntakeException(path, problems);
        }

        var vendor = chosen[0];
        var jobId = instructions.JobId ?? JobIds.ForLocalFile(file.FullName, file.Length, file.LastWriteTimeUtc, vendor);
        return new UploadJob(jobId, vendor, SourceRef.LocalFile(file.FullName), Details(new RouteOptions(), new Dictionary<string, string>(), instructions), settings) { WorkflowVersion = UploadJob.CurrentWorkflowVersion };
    }

    private async Task<IReadOnlyList<UploadJob>> JobsForAsync(string blobName, UploadInstructions? request, CancellationToken cancellationToken)
    {
        if (BlobNames.Problem(blobName) is { } nameProblem)
        {
            throw new IntakeException(blobName, [nameProblem]);
        }

        var properties = await BlobReads.PropertiesOrNullAsync(staging.GetBlobClient(blobName), cancellationToken)
            ?? throw new IntakeException($"{staging.Name}/{blobName}", ["the file does not exist in the staging container"]);

        var sidecar = await ReadSidecarAsync(blobName, cancellationToken);
        var route = options.Routes.Where(r => blobName.StartsWith(r.Prefix, StringComparison.Ordinal)).MaxBy(r => r.Prefix.Length);
        var metadata = properties.Metadata
            .Where(m => m.Key.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(m => m.Key[MetadataPrefix.Length..].ToLowerInvariant(), m => m.Value);

        // Later layers win: request over sidecar over metadata over route.
        var instructions = Layer(sidecar, request);
        var requested = instructions?.Vendors
            ?? (metadata.TryGetValue("vendors", out var listed) ? Split(listed) : null)
            ?? (route?.Vendors.Count > 0 ? route.Vendors : null);

        var problems = new List<string>();
        foreach (var unknown in metadata.Keys.Where(k => !MetadataKeys.Contains(k)).Order(StringComparer.Ordinal))
        {
            problems.Add($"unknown metadata key '{MetadataPrefix}{unknown}' (allowed: {string.Join(", ", MetadataKeys.Select(k => MetadataPrefix + k))})");
        }

        if (requested is null)
        {
            problems.Add($"no route matches this path and neither a sidecar ({blobName}{UploadInstructions.SidecarSuffix}) nor the request names a vendor");
        }
        else if (requested.Count == 0)
        {
            problems.Add("the list of vendors is empty: name at least one vendor");
        }

        var chosen = ChooseVendors(requested ?? [], vendors, problems);
        CheckJobId(instructions?.JobId, problems);
        CheckCallback(instructions?.CallbackUrl ?? route?.CallbackUrl, problems);
        if (problems.Count > 0)
        {
            throw new IntakeException($"{staging.Name}/{blobName}", problems);
        }

        var details = Details(route ?? new RouteOptions(), metadata, instructions ?? new UploadInstructions());
        var etag = properties.ETag.ToString("H");
        var source = new SourceRef(staging.Name, blobName, etag);
        var ids = chosen.ToDictionary(vendor => vendor, vendor => JobIdFor(instructions?.JobId, chosen.Count, source, etag, vendor));
        return chosen
            .Select(vendor => new UploadJob(ids[vendor], vendor, source, details, settings) { Siblings = [.. chosen.Where(v => v != vendor).Select(v => ids[v])], WorkflowVersion = UploadJob.CurrentWorkflowVersion })
            .ToList();
    }

    private async Task<UploadInstructions?> ReadSidecarAsync(string blobName, CancellationToken cancellationToken)
    {
        var sidecarName = blobName + UploadInstructions.SidecarSuffix;
        var sidecar = staging.GetBlobClient(sidecarName);
        if (await BlobReads.PropertiesOrNullAsync(sidecar, cancellationToken) is not { } properties)
        {
            return null;
        }

        if (properties.ContentLength > UploadInstructions.MaxBytes)
        {
            throw new IntakeException($"{staging.Name}/{sidecarName}", [$"is {properties.ContentLength} bytes; a sidecar holds at most {UploadInstructions.MaxBytes}"]);
        }

        if (properties.ContentLength == 0)
        {
            throw new IntakeException($"{staging.Name}/{sidecarName}", ["is empty; write a JSON object such as {\"title\": \"...\"}"]);
        }

        var content = await BlobReads.ContentAsync(sidecar, properties, cancellationToken);
        return UploadInstructions.ParseSidecar($"{staging.Name}/{sidecarName}", content.ToArray());
    }

    private static UploadInstructions? Layer(UploadInstructions? lower, UploadInstructions? upper) =>
        lower is null ? upper
        : upper is null ? lower
        : new UploadInstructions
        {
            Source = upper.Source ?? lower.Source,
            Vendors = upper.Vendors ?? lower.Vendors,
            Title = upper.Title ?? lower.Title,
            Description = upper.Description ?? lower.Description,
            RecordedAt = upper.RecordedAt ?? lower.RecordedAt,
            Categories = upper.Categories ?? lower.Categories,
            Metadata = upper.Metadata ?? lower.Metadata,
            Status = upper.Status ?? lower.Status,
            Folder = upper.Folder ?? lower.Folder,
            NewVersionOf = upper.NewVersionOf ?? lower.NewVersionOf,
            JobId = upper.JobId ?? lower.JobId,
            CallbackUrl = upper.CallbackUrl ?? lower.CallbackUrl,
        };

    private static UploadDetails Details(RouteOptions route, IReadOnlyDictionary<string, string> metadata, UploadInstructions instructions)
    {
        string? Pick(string? fromInstructions, string key, string? fromRoute) =>
            fromInstructions ?? (metadata.TryGetValue(key, out var value) ? value : null) ?? fromRoute;

        var mergedMetadata = new Dictionary<string, string>(route.Metadata, StringComparer.Ordinal);
        foreach (var (key, value) in instructions.Metadata ?? new Dictionary<string, string>())
        {
            mergedMetadata[key] = value;
        }

        return new UploadDetails
        {
            Title = Pick(instructions.Title, "title", route.Title),
            Description = Pick(instructions.Description, "description", route.Description),
            RecordedAt = instructions.RecordedAt,
            Categories = instructions.Categories
                ?? (metadata.TryGetValue("categories", out var categories) ? Split(categories) : null)
                ?? route.Categories,
            Metadata = mergedMetadata,
            Status = Pick(instructions.Status, "status", route.Status),
            Folder = Pick(instructions.Folder, "folder", route.Folder),
            NewVersionOf = instructions.NewVersionOf,
            CallbackUrl = instructions.CallbackUrl ?? route.CallbackUrl,
        };
    }

    /// <summary>A route's callback URL passes the same check as a request's; any callback needs the signing secret.</summary>
    private void CheckCallback(string? url, List<string> problems)
    {
        if (url is null)
        {
            return;
        }

        if (UploadInstructions.CallbackUrlProblem(url) is { } problem)
        {
            problems.Add(problem);
        }
        else if (string.IsNullOrEmpty(options.Callbacks.SigningSecret))
        {
            problems.Add($"a callback to {url} was asked for, but {UploaderServices.Section}:Callbacks:SigningSecret is not set, so it could not be signed");
        }
    }

    private static List<string> ChooseVendors(IEnumerable<string> requested, IReadOnlyCollection<string> known, List<string> problems)
    {
        var chosen = new List<string>();
        foreach (var name in requested.Select(v => v.Trim().ToLowerInvariant()).Distinct())
        {
            if (known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                chosen.Add(name);
            }
            else
            {
                problems.Add($"unknown vendor '{name}' (configured: {(known.Count == 0 ? "none" : string.Join(", ", known.Order(StringComparer.Ordinal)))})");
            }
        }

        return chosen;
    }

    private static void CheckJobId(string? jobId, List<string> problems)
    {
        if (jobId is not null && JobIds.Validate(jobId) is { } problem)
        {
            problems.Add(problem);
        }
    }

    private static string JobIdFor(string? requested, int vendorCount, SourceRef source, string etag, string vendor) =>
        requested is null ? JobIds.ForBlob(source.Container, source.Name, etag, vendor)
        : vendorCount == 1 ? requested
        : $"{requested}-{vendor}";

    private static List<string> Split(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
