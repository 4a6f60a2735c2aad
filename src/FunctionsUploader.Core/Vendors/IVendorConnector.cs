using FunctionsUploader.Transfer;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Vendors;

/// <summary>What a connector is told when it opens an upload: the file, never its bytes.</summary>
public sealed record UploadOpening(string JobId, string FileName, long Size, string? SourceMd5Hex, string ContentType, UploadDetails Details);

/// <summary>
/// What a connector opened at the vendor, kept in the job store between activities. It may hold signed URLs (in
/// <see cref="Target"/>), so it never travels through the orchestration; it never holds credentials or tokens.
/// </summary>
public sealed record VendorSession
{
    public required string Vendor { get; init; }

    /// <summary>The vendor's id of what is being made: MediaValet upload id, Picovico clip id, Prepr asset id, Panopto session upload id.</summary>
    public string? AssetId { get; init; }

    /// <summary>Where the bytes go; null when none are to be sent.</summary>
    public TransferTargetSpec? Target { get; init; }

    /// <summary>The vendor already had these bytes (Picovico's MD5 dedupe): nothing is sent or committed.</summary>
    public bool AlreadyAtVendor { get; init; }

    /// <summary>Values later steps need (upload file names, ids, the session object); plain strings, no secrets.</summary>
    public IReadOnlyDictionary<string, string> State { get; init; } = new Dictionary<string, string>();

    public override string ToString() => $"VendorSession {{ Vendor = {Vendor}, AssetId = {AssetId}, Target = {Target}, AlreadyAtVendor = {AlreadyAtVendor} }}";
}

/// <summary>What a commit left at the vendor.</summary>
public sealed record VendorCommit(VendorSession Session, string VendorAssetId, string? DestinationMd5Hex);

/// <summary>
/// One vendor's upload protocol (Vendors/&lt;Vendor&gt;/). Credentials come from the connector's options and stay
/// inside it: never in sessions, results, exceptions or logs. Failures are <see cref="VendorApiException"/> (which
/// says whether retrying can help) or <see cref="PermanentFailureException"/> for refusals.
/// </summary>
public interface IVendorConnector
{
    /// <summary>The lower-case name jobs use ("mediavalet").</summary>
    string Name { get; }

    /// <summary>True when <see cref="OpenAsync"/> needs the source's MD5, which costs a full read of the file first.</summary>
    bool NeedsSourceMd5 { get; }

    /// <summary>Why the vendor cannot take this file at all (empty, too large, wrong kind), before anything opens; null when it can.</summary>
    string? CheckAcceptable(string fileName, long size);

    /// <summary>Authenticates and opens the upload at the vendor (or finds the vendor already has the file).</summary>
    Task<VendorSession> OpenAsync(UploadOpening opening, CancellationToken cancellationToken = default);

    /// <summary>The transfer target for the session's <see cref="VendorSession.Target"/>, with this connector's credentials.</summary>
    ITransferTarget CreateTarget(VendorSession session);

    /// <summary>After every part is in: makes the upload whole (the target's commit) and tells the vendor it is complete.</summary>
    Task<VendorCommit> CommitAsync(VendorSession session, UploadOpening opening, PartPlan plan, IReadOnlyList<PartReceipt> receipts, CancellationToken cancellationToken = default);

    /// <summary>Sets the job's metadata; not applied (with a note) where the vendor has no such step.</summary>
    Task<StepOutcome> SetMetadataAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default);

    Task<StepOutcome> SetCategoriesAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default);

    Task<StepOutcome> SetStatusAsync(VendorSession session, UploadDetails details, CancellationToken cancellationToken = default);

    /// <summary>Where the vendor is with processing the file; finished at once where the vendor reports nothing.</summary>
    Task<ProcessingCheck> CheckProcessingAsync(VendorSession session, CancellationToken cancellationToken = default);

    /// <summary>Removes what the job made at the vendor (compensation after a final failure, or a cancel).</summary>
    Task<StepOutcome> CancelAsync(VendorSession session, CancellationToken cancellationToken = default);
}
