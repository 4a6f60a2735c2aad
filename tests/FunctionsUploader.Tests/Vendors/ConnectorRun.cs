using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsUploader.Simulators.Inspection;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.Vendors;

/// <summary>Everything a connector left after a run through every step the workflow takes.</summary>
internal sealed record ConnectorRunResult(
    VendorSession Session,
    PartPlan Plan,
    VendorCommit Commit,
    StepOutcome Metadata,
    StepOutcome Categories,
    StepOutcome Status,
    ProcessingCheck Processing);

/// <summary>
/// Drives a connector as the activities do: the session goes through the job store's JSON between steps, and each
/// copy batch (here: each part) is sent by a target of its own, as separate CopyBatch activities would.
/// </summary>
internal static partial class ConnectorRun
{
    public static UploadOpening Opening(string fileName, long size, UploadDetails? details = null) =>
        new($"job-{Guid.NewGuid():N}", fileName, size, null, "video/mp4", details ?? new UploadDetails());

    public static async Task<ConnectorRunResult> RunAsync(IVendorConnector connector, UploadOpening opening, ITransferSource source, TransferOptions? transfer = null)
    {
        Assert.Null(connector.CheckAcceptable(opening.FileName, opening.Size));
        var session = Stored(await connector.OpenAsync(opening));
        var (plan, receipts) = await CopyAsync(connector, session, source, transfer);
        var commit = await connector.CommitAsync(Stored(session), opening, plan, receipts);
        var metadata = await connector.SetMetadataAsync(Stored(session), opening.Details);
        var categories = await connector.SetCategoriesAsync(Stored(session), opening.Details);
        var status = await connector.SetStatusAsync(Stored(session), opening.Details);
        return new ConnectorRunResult(session, plan, commit, metadata, categories, status, await PollAsync(connector, session));
    }

    /// <summary>Every batch of the plan, one part per batch, each through a new target.</summary>
    public static async Task<(PartPlan Plan, IReadOnlyList<PartReceipt> Receipts)> CopyAsync(
        IVendorConnector connector, VendorSession session, ITransferSource source, TransferOptions? transfer = null)
    {
        var plan = PartPlanner.Plan(source.Length, session.Target!.GetPartRules());
        var engine = new TransferEngine(transfer);
        var receipts = new List<PartReceipt>();
        foreach (var batch in plan.GetBatches(plan.PartSize))
        {
            var target = connector.CreateTarget(Stored(session));
            try
            {
                receipts.AddRange(await engine.CopyPartsAsync(source, target, batch));
            }
            finally
            {
                (target as IDisposable)?.Dispose();
            }
        }

        return (plan, receipts);
    }

    /// <summary>Status reads until the vendor says finished or failed (the simulators move on by reads, not by time).</summary>
    public static async Task<ProcessingCheck> PollAsync(IVendorConnector connector, VendorSession session, int maxReads = 10)
    {
        for (var read = 1; ; read++)
        {
            var check = await connector.CheckProcessingAsync(Stored(session));
            if (check.Finished || check.Failed || read == maxReads)
            {
                return check;
            }
        }
    }

    /// <summary>The session as the next activity reads it back from the job store.</summary>
    public static VendorSession Stored(VendorSession session) =>
        JsonSerializer.Deserialize<VendorSession>(StoredJson(session), WorkflowJson.Options)!;

    public static int Count(IEnumerable<RequestRecord> requests, string operation, int? status = null) =>
        requests.Count(r => r.Operation == operation && (status is null || r.Status == status));

    /// <summary>The statuses the vendor answered to <paramref name="operation"/>, oldest first.</summary>
    public static IEnumerable<int> Statuses(IEnumerable<RequestRecord> requests, string operation) =>
        requests.Where(r => r.Operation == operation).Select(r => r.Status);

    /// <summary>A refusal of the configured credentials: says which vendor and call, is not worth retrying, and quotes no secret.</summary>
    public static void AssertCredentialsRefused(VendorApiException error, string vendorAndCall, int status, params string[] secrets)
    {
        Assert.Equal(status, error.Status);
        Assert.False(error.Retryable);
        Assert.StartsWith($"{vendorAndCall} answered {status}", error.Message, StringComparison.Ordinal);
        Assert.Contains("check the credentials", error.Message, StringComparison.Ordinal);
        Assert.All(secrets, s => Assert.DoesNotContain(s, error.ToString(), StringComparison.Ordinal));
    }

    /// <summary>Log lines that hold any of <paramref name="secrets"/> or something shaped like a simulator-issued token (48 hex digits).</summary>
    public static IReadOnlyList<string> LinesWithSecrets(IEnumerable<string> lines, params string[] secrets) =>
        [.. lines.Where(line => secrets.Any(s => line.Contains(s, StringComparison.Ordinal)) || IssuedToken().IsMatch(line))];

    /// <summary>The session as the job store writes it.</summary>
    public static string StoredJson(VendorSession session) => JsonSerializer.Serialize(session, WorkflowJson.Options);

    [GeneratedRegex("(?<![0-9a-f])[0-9a-f]{48}(?![0-9a-f])")]
    private static partial Regex IssuedToken();
}
