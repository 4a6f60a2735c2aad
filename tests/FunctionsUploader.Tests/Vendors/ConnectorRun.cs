using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsUploader.Simulators.Inspection;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Tests.Vendors;

/// <summary>
/// What one run of every step left: the session after commit, and each step's answer. No plan and no commit when
/// the vendor already had the bytes (<see cref="VendorSession.AlreadyAtVendor"/>).
/// </summary>
internal sealed record ConnectorRunResult(
    VendorSession Session,
    PartPlan? Plan,
    VendorCommit? Commit,
    StepOutcome Metadata,
    StepOutcome Categories,
    StepOutcome Status,
    ProcessingCheck Processing,
    int ProcessingChecks);

/// <summary>
/// Drives a connector through the steps the workflow's activities take, in their order: open, copy the plan's
/// batches through the transfer engine, commit, metadata, categories, status, then processing checks until finished.
/// As between activities, the session goes through the job store's JSON before every step, and each batch is sent
/// by a target of its own.
/// </summary>
internal static partial class ConnectorRun
{
    /// <summary>Small batches, so that a few MiB already cross batch boundaries as well as part boundaries.</summary>
    public const long BatchBytes = 1024 * 1024;

    /// <summary>Transfer retries a test waits milliseconds for, not seconds.</summary>
    public static TransferOptions QuickTransfer => new() { RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromSeconds(2) };

    private const int MaxProcessingChecks = 10;

    /// <summary>An opening with the source's MD5, as the prepare activity makes it for a connector that needs it.</summary>
    public static UploadOpening Opening(string fileName, byte[] data, UploadDetails? details = null, string contentType = "video/mp4") =>
        Opening(fileName, data.Length, details, contentType, TestData.Md5Hex(data));

    public static UploadOpening Opening(string fileName, long size, UploadDetails? details = null, string contentType = "video/mp4", string? md5Hex = null) =>
        new($"job-{Guid.NewGuid():N}", fileName, size, md5Hex, contentType, details ?? new UploadDetails());

    public static async Task<ConnectorRunResult> AllStepsAsync(IVendorConnector connector, ITransferSource source, UploadOpening opening, ILoggerFactory? loggers = null)
    {
        Assert.Null(connector.CheckAcceptable(opening.FileName, opening.Size));
        var session = Stored(await connector.OpenAsync(opening));
        PartPlan? plan = null;
        VendorCommit? commit = null;
        if (!session.AlreadyAtVendor)
        {
            (plan, var receipts) = await CopyAsync(connector, session, source, loggers);
            commit = await connector.CommitAsync(Stored(session), opening, plan, receipts);
            session = Stored(commit.Session);
        }

        var metadata = await connector.SetMetadataAsync(Stored(session), opening.Details);
        var categories = await connector.SetCategoriesAsync(Stored(session), opening.Details);
        var status = await connector.SetStatusAsync(Stored(session), opening.Details);
        var (processing, checks) = await PollCountingAsync(connector, session, MaxProcessingChecks);
        return new ConnectorRunResult(session, plan, commit, metadata, categories, status, processing, checks);
    }

    /// <summary>Every batch of the session's plan, one CopyParts call each through a new target, as the copy activities do.</summary>
    public static async Task<(PartPlan Plan, List<PartReceipt> Receipts)> CopyAsync(IVendorConnector connector, VendorSession session, ITransferSource source, ILoggerFactory? loggers = null)
    {
        var plan = PartPlanner.Plan(source.Length, session.Target!.GetPartRules());
        var engine = new TransferEngine(QuickTransfer, (loggers ?? NullLoggerFactory.Instance).CreateLogger<TransferEngine>());
        var receipts = new List<PartReceipt>();
        foreach (var batch in plan.GetBatches(BatchBytes))
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

    /// <summary>Status reads until the vendor says finished (the simulators move on by reads, not by time).</summary>
    public static async Task<ProcessingCheck> PollAsync(IVendorConnector connector, VendorSession session, int maxReads = MaxProcessingChecks) =>
        (await PollCountingAsync(connector, session, maxReads)).Check;

    /// <summary>The session as the next activity reads it back from the job store.</summary>
    public static VendorSession Stored(VendorSession session) =>
        JsonSerializer.Deserialize<VendorSession>(StoredJson(session), WorkflowJson.Options)!;

    /// <summary>The session as the job store writes it.</summary>
    public static string StoredJson(VendorSession session) => JsonSerializer.Serialize(session, WorkflowJson.Options);

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

    private static async Task<(ProcessingCheck Check, int Reads)> PollCountingAsync(IVendorConnector connector, VendorSession session, int maxReads)
    {
        for (var read = 1; ; read++)
        {
            var check = await connector.CheckProcessingAsync(Stored(session));
            if (check.Finished || check.Failed || read == maxReads)
            {
                return (check, read);
            }
        }
    }

    [GeneratedRegex("(?<![0-9a-f])[0-9a-f]{48}(?![0-9a-f])")]
    private static partial Regex IssuedToken();
}
