using FunctionsUploader.Transfer;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Vendors;

/// <summary>What the steps after Open read from a <see cref="VendorSession"/>, and what they answer when there is nothing to do.</summary>
internal static class OpenedSession
{
    public static string AssetId(VendorSession session, string vendor)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.AssetId
            ?? throw new ArgumentException($"The {vendor} session has no id: it was never opened (or, where {vendor} names it at commit, never committed).", nameof(session));
    }

    public static TSpec Target<TSpec>(VendorSession session, string vendor)
        where TSpec : TransferTargetSpec
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Target as TSpec
            ?? throw new ArgumentException(
                $"A {vendor} session's target is a {typeof(TSpec).Name}, not {session.Target?.GetType().Name ?? "nothing"}: it was not opened by the {vendor} connector, or nothing is to be sent.",
                nameof(session));
    }

    /// <summary>A value <see cref="IVendorConnector.OpenAsync"/> left in <see cref="VendorSession.State"/> for the later steps.</summary>
    public static string State(VendorSession session, string key, string vendor)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.State.TryGetValue(key, out var value)
            ? value
            : throw new ArgumentException($"The {vendor} session has no '{key}': it was not opened by the {vendor} connector.", nameof(session));
    }

    /// <summary>The job asked for none of <paramref name="what"/>: no call is made.</summary>
    public static StepOutcome NothingToSet(string what) => new(false, $"No {what} to set.");
}
