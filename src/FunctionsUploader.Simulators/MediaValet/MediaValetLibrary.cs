using System.Collections.Concurrent;
using FunctionsUploader.Simulators.Inspection;
using FunctionsUploader.Simulators.Storage;
using FunctionsUploader.Simulators.Tenants;
using FunctionsUploader.Storage;

namespace FunctionsUploader.Simulators.MediaValet;

/// <summary>Every MediaValet upload and asset, each in its tenant's library, and their inspection.</summary>
internal sealed class MediaValetLibrary(BlobStorage storage) : IAssetInspector
{
    private readonly ConcurrentDictionary<Guid, MediaValetAsset> _assets = new();

    public SimulatedVendor Vendor => SimulatedVendor.MediaValet;

    public void Add(MediaValetAsset asset) => _assets[asset.Id] = asset;

    /// <summary>The calling tenant's upload or asset with this id, unless it was cancelled.</summary>
    public MediaValetAsset? Find(HttpContext context, string id) =>
        Get(SimulatedRequest.Of(context).Tenant!, id) is { Status: not MediaValetStatus.Cancelled } asset ? asset : null;

    public IReadOnlyList<string> AssetIds(Tenant tenant) =>
        [.. _assets.Values.Where(a => a.Tenant == tenant).OrderBy(a => a.CreatedAt).Select(a => a.Id.ToString())];

    public async Task<AssetReport?> InspectAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        if (Get(tenant, id) is not { } asset)
        {
            return null;
        }

        MediaValetVersion[] versions;
        AssetRecord record;
        string status, currentBlob, fileName;
        lock (asset.Gate)
        {
            versions = [.. asset.Versions];
            record = asset.ToRecord();
            status = asset.CheckOut is not null ? "CheckedOut" : asset.Status.ToString();
            currentBlob = asset.CurrentBlob;
            fileName = versions.Length > 0 ? versions[^1].FileName : asset.OriginalFilename;
        }

        var current = await storage.DigestAsync(storage.Blob(storage.MediaValetContainer, currentBlob), cancellationToken);
        var versionReports = new List<VersionReport>();
        foreach (var version in versions)
        {
            var digest = await storage.DigestAsync(storage.Blob(storage.MediaValetContainer, version.BlobName), cancellationToken);
            versionReports.Add(new VersionReport(version.Number, version.FileName, digest?.Size, digest?.Md5, version.Comment, version.CreatedAt));
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["uploadFilename"] = record.Filename };
        AddIfSet(metadata, "title", record.Title);
        AddIfSet(metadata, "description", record.Description);
        AddIfSet(metadata, "fileSizeInBytes", record.FileSizeInBytes?.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in record.Attributes)
        {
            metadata["attributes." + name] = value;
        }

        return new AssetReport
        {
            Vendor = Vendor,
            Id = asset.Id.ToString(),
            Status = status,
            FileName = fileName,
            Size = current?.Size,
            Md5 = current?.Md5,
            Metadata = metadata,
            Categories = record.Categories,
            Keywords = record.Keywords,
            Versions = versionReports,
            Requests = tenant.Requests.Snapshot(asset.Id.ToString()),
        };
    }

    /// <summary>Null when the blob is committed with exactly <paramref name="size"/> bytes; otherwise what differs.</summary>
    public async Task<string?> CommittedSizeProblemAsync(string blobName, long size, CancellationToken cancellationToken)
    {
        if (await BlobReads.PropertiesOrNullAsync(storage.Blob(storage.MediaValetContainer, blobName), cancellationToken) is not { } properties)
        {
            return "Nothing is committed at the upload URL yet: upload the file (Put Blob, or Put Block + Put Block List) first.";
        }

        var committed = properties.ContentLength;
        return committed == size ? null : $"fileSizeInBytes is {size} but the blob at the upload URL has {committed} bytes.";
    }

    private MediaValetAsset? Get(Tenant tenant, string id) =>
        Guid.TryParse(id, out var guid) && _assets.TryGetValue(guid, out var asset) && asset.Tenant == tenant ? asset : null;

    private static void AddIfSet(Dictionary<string, string> metadata, string name, string? value)
    {
        if (value is not null)
        {
            metadata[name] = value;
        }
    }
}
