using FunctionsUploader.Transfer;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Activities;

/// <summary>
/// How far a running copy batch has got, kept in the job store beside the job (never in the orchestration
/// history). A batch run again starts its document from zero, so a retry never counts bytes twice.
/// </summary>
public sealed record BatchProgress(int Batch, long Bytes, int Parts, DateTimeOffset StartedAt, DateTimeOffset At);

/// <summary>
/// Turns the transfer's part receipts into <see cref="BatchProgress"/> documents: at most one every
/// <see cref="WorkflowSettings.ProgressInterval"/> or every <see cref="ByteStep"/> bytes, whichever comes first, and
/// a last one at the end.
/// </summary>
public sealed class BatchProgressWriter : IProgress<PartReceipt>
{
    public const long ByteStep = 64L * 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly JobDocuments _documents;
    private readonly string _jobId;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private BatchProgress _current;
    private BatchProgress _written;
    private Task _writing = Task.CompletedTask;

    private BatchProgressWriter(JobDocuments documents, string jobId, int batch, TimeSpan interval, TimeProvider time)
    {
        _interval = interval;
        _documents = documents;
        _jobId = jobId;
        _time = time;
        var now = time.GetUtcNow();
        _current = _written = new BatchProgress(batch, 0, 0, now, now);
    }

    /// <summary>Starts a batch's progress at zero (what an earlier attempt left is overwritten).</summary>
    public static async Task<BatchProgressWriter> StartAsync(JobDocuments documents, UploadJob job, int batch, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var writer = new BatchProgressWriter(documents, job.JobId, batch, job.Settings.ProgressInterval, time);
        await documents.SaveBatchProgressAsync(job.JobId, writer._current, cancellationToken);
        return writer;
    }

    public void Report(PartReceipt value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _current = _current with { Bytes = _current.Bytes + value.Length, Parts = _current.Parts + 1, At = now };
            var due = now - _written.At >= _interval || _current.Bytes - _written.Bytes >= ByteStep;
            if (due && _writing.IsCompleted)
            {
                _written = _current;
                _writing = WriteAsync(_current);
            }
        }
    }

    /// <summary>Writes the last figures once the batch's parts are all in.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Task writing;
        BatchProgress last;
        lock (_lock)
        {
            writing = _writing;
            last = _current;
        }

        await writing;
        await _documents.SaveBatchProgressAsync(_jobId, last, cancellationToken);
    }

    private async Task WriteAsync(BatchProgress progress)
    {
        try
        {
            await _documents.SaveBatchProgressAsync(_jobId, progress, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Progress is for people watching; a failed write must never fail the copy. The next one tries again.
        }
    }
}
