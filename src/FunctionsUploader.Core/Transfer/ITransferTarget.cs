namespace FunctionsUploader.Transfer;

/// <summary>
/// Where parts go. One implementation per kind of vendor target, built at activity time from its
/// <see cref="TransferTargetSpec"/>. Implementations are safe for parts sent in parallel when
/// <see cref="PartRules.ParallelParts"/> says so.
/// </summary>
public interface ITransferTarget
{
    /// <summary>What the target is, safe to log: no query string, no token.</summary>
    string Name { get; }

    PartRules Rules { get; }

    /// <summary>
    /// The parts the service already holds for this upload (Get Block List, the server's offset), so that a copy
    /// run again after a crash skips them; empty where the service cannot say.
    /// </summary>
    Task<IReadOnlyDictionary<int, PartReceipt>> GetHeldPartsAsync(PartPlan plan, CancellationToken cancellationToken = default);

    /// <summary>Sends one part (or has the service copy it); sending the same part again leaves the same result.</summary>
    Task<PartReceipt> SendPartAsync(ITransferSource source, Part part, CancellationToken cancellationToken = default);

    /// <summary>Checks that every part is there with its planned length, then makes the upload whole.</summary>
    Task<CommitResult> CommitAsync(PartPlan plan, IReadOnlyCollection<PartReceipt> receipts, CancellationToken cancellationToken = default);

    /// <summary>Discards what was sent where the service can (compensation after a final failure).</summary>
    Task AbortAsync(CancellationToken cancellationToken = default);
}
