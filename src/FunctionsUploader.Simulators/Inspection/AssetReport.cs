namespace FunctionsUploader.Simulators.Inspection;

/// <summary>
/// What a vendor ended up with for one asset, as GET /_sim/tenants/{tenant}/{vendor}/assets/{id} reports it.
/// <see cref="Size"/> and <see cref="Md5"/> are computed by reading the final bytes back from storage (null when
/// there are none); <see cref="Requests"/> are the tenant's logged requests about this asset.
/// </summary>
public sealed record AssetReport
{
    public required SimulatedVendor Vendor { get; init; }

    public required string Id { get; init; }

    /// <summary>The vendor's own status word or number, as text.</summary>
    public required string Status { get; init; }

    public string? FileName { get; init; }

    public long? Size { get; init; }

    public string? Md5 { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Categories { get; init; } = [];

    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>MediaValet's version history, oldest first; the last is the current one.</summary>
    public IReadOnlyList<VersionReport> Versions { get; init; } = [];

    /// <summary>Every file of a multi-file upload (Panopto: media and manifest).</summary>
    public IReadOnlyList<FileReport> Files { get; init; } = [];

    public IReadOnlyList<RequestRecord> Requests { get; init; } = [];
}

public sealed record VersionReport(int Version, string FileName, long? Size, string? Md5, string? Comment, DateTimeOffset CreatedAt);

public sealed record FileReport(string Name, long Size, string Md5);

/// <summary>A vendor's side of the inspection endpoint.</summary>
internal interface IAssetInspector
{
    SimulatedVendor Vendor { get; }

    IReadOnlyList<string> AssetIds(Tenants.Tenant tenant);

    /// <summary>Null when the tenant has no such asset.</summary>
    Task<AssetReport?> InspectAsync(Tenants.Tenant tenant, string id, CancellationToken cancellationToken);
}
