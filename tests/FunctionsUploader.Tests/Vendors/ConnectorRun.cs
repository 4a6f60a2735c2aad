using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Tests.Vendors;

/// <summary>What one run of every step left: the session after commit, and each step's answer.</summary>
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
/// </summary>
internal static class ConnectorRun
{
    /// <summary>Small batches, so that a few MiB already cross batch boundaries as well as part boundaries.</summary>
    public const long BatchBytes = 1024 * 1024;

    private const int MaxProcessingChecks = 10;

    public static async Task<ConnectorRunResult> AllStepsAsync(IVendorConnector connector, ITransferSource source, UploadOpening opening, ILoggerFactory? loggers = null)
    {
        Assert.Null(connector.CheckAcceptable(opening.FileName, opening.Size));
        var session = await connector.OpenAsync(opening);
        PartPlan? plan = null;
        VendorCommit? commit = null;
        if (!session.AlreadyAtVendor)
        {
            (plan, var receipts) = await CopyAsync(connector, session, source, loggers);
            commit = await connector.CommitAsync(session, opening, plan, receipts);
            session = commit.Session;
        }

        var metadata = await connector.SetMetadataAsync(session, opening.Details);
        var categories = await connector.SetCategoriesAsync(session, opening.Details);
        var status = await connector.SetStatusAsync(session, opening.Details);
        var checks = 0;
        ProcessingCheck processing;
        do
        {
            processing = await connector.CheckProcessingAsync(session);
            checks++;
        }
        while (!processing.Finished && checks < MaxProcessingChecks);

        return new ConnectorRunResult(session, plan, commit, metadata, categories, status, processing, checks);
    }

    /// <summary>Every batch of the session's plan, one CopyParts call each, as the copy activities do.</summary>
    public static async Task<(PartPlan Plan, List<PartReceipt> Receipts)> CopyAsync(IVendorConnector connector, VendorSession session, ITransferSource source, ILoggerFactory? loggers = null)
    {
        var target = connector.CreateTarget(session);
        var plan = PartPlanner.Plan(source.Length, session.Target!.GetPartRules());
        var engine = new TransferEngine(
            new TransferOptions { RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromSeconds(2) },
            (loggers ?? NullLoggerFactory.Instance).CreateLogger<TransferEngine>());
        var receipts = new List<PartReceipt>();
        foreach (var batch in plan.GetBatches(BatchBytes))
        {
            receipts.AddRange(await engine.CopyPartsAsync(source, target, batch));
        }

        return (plan, receipts);
    }

    public static UploadOpening Opening(string fileName, byte[] data, UploadDetails? details = null, string contentType = "video/mp4") =>
        new($"job-{Guid.NewGuid():N}", fileName, data.Length, TestData.Md5Hex(data), contentType, details ?? new UploadDetails());
}
