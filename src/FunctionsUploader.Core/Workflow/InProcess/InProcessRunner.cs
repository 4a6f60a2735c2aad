using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Workflow.InProcess;

/// <summary>
/// Runs orchestrations in this process (the CLI, the tests): activities through DI with the same retry
/// semantics as Durable, every completed call journaled in <see cref="JournalDirectory"/>, so a job stopped at
/// any point (even by kill -9) resumes where it was and redoes at most the calls that were in flight.
/// </summary>
public sealed class InProcessRunner(
    IServiceProvider services,
    IReadOnlyDictionary<string, ActivityRegistration> activities,
    string journalDirectory,
    TimeProvider? time = null,
    ILoggerFactory? loggers = null)
{
    public string JournalDirectory { get; } = Directory.CreateDirectory(journalDirectory).FullName;

    /// <summary>Runs or resumes the upload job; <paramref name="statusChanged"/> sees every custom status it sets.</summary>
    public async Task<UploadResult> RunAsync(UploadJob job, Action<UploadStatus>? statusChanged = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var runner = new CallRunner(services, activities, OpenJournal, time ?? TimeProvider.System, loggers ?? NullLoggerFactory.Instance, cancellationToken);
        var result = await runner.RunOrchestrationAsync(
            OrchestrationNames.Upload, job.JobId, job, status => { if (status is UploadStatus s) { statusChanged?.Invoke(s); } });
        return (UploadResult)result!;
    }

    /// <summary>The input a job was started with, for resuming it by id; null when no such job was started here.</summary>
    public UploadJob? FindJob(string jobId)
    {
        var started = OpenJournal(jobId).FindKind(JournalEntry.Started);
        return started?.Input is null ? null : System.Text.Json.JsonSerializer.Deserialize<UploadJob>(started.Input, Journal.Json);
    }

    /// <summary>The journal of one instance (a job, or one of its transfer slices).</summary>
    public Journal OpenJournal(string instanceId) => Journal.Open(JournalPath(instanceId));

    public string JournalPath(string instanceId) =>
        Path.Combine(JournalDirectory, string.Concat(instanceId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_')) + ".jsonl");
}
