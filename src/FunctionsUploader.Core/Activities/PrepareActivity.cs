using System.Security.Cryptography;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask;

namespace FunctionsUploader.Activities;

/// <summary>
/// Step 1: read the source's size, let the vendor refuse what it cannot take, open the upload at the vendor and
/// cut the file into parts and batches. The session and the plan go to the job store; the orchestration gets
/// counts only. Run again after a crash, it returns what the first run stored instead of opening a second upload.
/// </summary>
[DurableTask(ActivityNames.Prepare)]
public sealed class PrepareActivity(JobSources sources, JobDocuments documents, VendorConnectors connectors, TransferOptions options)
    : JobActivity<UploadJob, PreparedUpload>
{
    protected override async Task<PreparedUpload> ExecuteAsync(UploadJob input, CancellationToken cancellationToken)
    {
        var stored = await documents.SessionAsync(input.JobId, cancellationToken);
        if (stored is not null && await documents.FileAsync(input.JobId, cancellationToken) is { } storedFile)
        {
            return Summary(stored, storedFile);
        }

        var connector = connectors.Get(input.Vendor);
        var source = await sources.OpenAsync(input.Source, cancellationToken);
        var fileName = Path.GetFileName(input.Source.Name);
        if (connector.CheckAcceptable(fileName, source.Length) is { } refusal)
        {
            throw new PermanentFailureException($"{input.Source}: {refusal}");
        }

        var md5 = connector.NeedsSourceMd5 || input.Source.IsLocalFile ? await Md5HexAsync(source, cancellationToken) : null;
        var opening = new UploadOpening(input.JobId, fileName, source.Length, md5, MediaTypes.ForFileName(fileName), input.Details);
        // A session stored by a run that stopped before it saved the plan is the upload to go on with: opening
        // another would orphan it at the vendor.
        var session = stored;
        if (session is null)
        {
            await documents.ThrowIfCancelledAsync(input.JobId, "the opening at the vendor", cancellationToken);
            session = await connector.OpenAsync(opening, cancellationToken);
            await documents.SaveSessionAsync(input.JobId, session, cancellationToken);

            // A cancel that came while the upload was opening found no session to clean up: clean up here. (Saved
            // first, then checked; the cancel marks first, then cleans up: one of the two sees the other.)
            if (await documents.CancelledAsync(input.JobId, cancellationToken) is { } reason)
            {
                await connector.CancelAsync(session, cancellationToken);
                throw JobDocuments.Cancelled(input.JobId, reason, "the opening at the vendor");
            }
        }

        PartPlan plan;
        try
        {
            plan = session.Target is { } target ? PartPlanner.Plan(source.Length, target.GetPartRules()) : new PartPlan(source.Length, Math.Max(1, source.Length), 1);
        }
        catch (TransferRefusedException)
        {
            // No legal plan: leave nothing half-open at the vendor.
            await connector.CancelAsync(session, cancellationToken);
            throw;
        }

        var file = new PreparedFile(fileName, opening.ContentType, source.Length, md5, plan, input.Settings.BatchBytes);
        await documents.SaveFileAsync(input.JobId, file, cancellationToken);
        return Summary(session, file);
    }

    private static PreparedUpload Summary(VendorSession session, PreparedFile file) =>
        new(file.Size, file.Plan.PartCount, file.Batches().Count, session.Target?.GetPartRules().ParallelParts ?? true, session.AssetId, session.AlreadyAtVendor, file.SourceMd5);

    /// <summary>One streaming pass over the source through the copy buffer: never the whole file in memory.</summary>
    private async Task<string> Md5HexAsync(ITransferSource source, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[options.CopyBufferSize];
        await using (var stream = await source.OpenReadAsync(0, source.Length, cancellationToken))
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                md5.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }
}
