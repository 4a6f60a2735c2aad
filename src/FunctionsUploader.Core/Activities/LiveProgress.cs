using FunctionsUploader.Workflow;

namespace FunctionsUploader.Activities;

/// <summary>
/// What status readers show (the HTTP status function, the CLI): the orchestration's custom status, which counts
/// finished batches, plus what the batches running now have reported to the job store, with the current rate and
/// the time left at that rate.
/// </summary>
public sealed class LiveProgress(JobDocuments documents, TimeProvider time)
{
    /// <param name="status">The job's custom status.</param>
    /// <param name="slice">The custom status of the transfer slice the job names, when it names one.</param>
    public async Task<UploadStatus> MergeAsync(string jobId, UploadStatus status, UploadStatus? slice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        IReadOnlyList<BatchProgress?> running;
        if (status.Phase == UploadPhase.Preparing)
        {
            // Deliver copies a file of one batch before the orchestration learns its size: while that batch
            // runs, show it against the plan in the job store.
            if (await documents.BatchProgressAsync(jobId, 0, cancellationToken) is not { } copying || await documents.FileAsync(jobId, cancellationToken) is not { } file)
            {
                return status;
            }

            status = status with { Phase = UploadPhase.Transferring, BytesTotal = file.Size, PartsTotal = file.Plan.PartCount, BatchesInFlight = [0] };
            running = [copying];
        }
        else if (status.Phase == UploadPhase.Transferring)
        {
            running = await Task.WhenAll((slice ?? status).BatchesInFlight.Select(b => documents.BatchProgressAsync(jobId, b, cancellationToken)));
        }
        else
        {
            return status;
        }

        var bytes = status.BytesDone + (slice?.BytesDone ?? 0);
        var parts = status.PartsDone + (slice?.PartsDone ?? 0);
        var reported = running.OfType<BatchProgress>().ToList();
        bytes += reported.Sum(p => p.Bytes);
        parts += reported.Sum(p => p.Parts);

        long? rate = null;
        long? eta = null;
        if (reported.Count > 0 && time.GetUtcNow() - reported.Min(p => p.StartedAt) is { TotalSeconds: > 0.5 } elapsed)
        {
            rate = (long)(reported.Sum(p => p.Bytes) / elapsed.TotalSeconds);
            eta = rate > 0 ? (long)Math.Ceiling((double)Math.Max(0, status.BytesTotal - bytes) / rate.Value) : null;
        }

        return status with
        {
            BytesDone = Math.Min(bytes, status.BytesTotal),
            PartsDone = Math.Min(parts, status.PartsTotal),
            BatchesInFlight = (slice ?? status).BatchesInFlight,
            BytesPerSecond = rate,
            EtaSeconds = eta,
        };
    }
}
