using System.Collections.Concurrent;
using FunctionsUploader.Intake;

namespace FunctionsUploader.Workflow.InProcess;

/// <summary>
/// <see cref="IOrchestrationStarter"/> for the in-process runner: a job id that has a journal, or is running in
/// this process, exists; anything else starts in the background.
/// </summary>
public sealed class InProcessStarter(InProcessRunner runner) : IOrchestrationStarter
{
    private readonly ConcurrentDictionary<string, Lazy<Task<UploadResult>>> _running = new(StringComparer.Ordinal);

    public Task<StartOutcome> StartIfNewAsync(UploadJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (runner.FindJob(job.JobId) is not null && !_running.ContainsKey(job.JobId))
        {
            return Task.FromResult(StartOutcome.AlreadyExists);
        }

        var run = new Lazy<Task<UploadResult>>(() => Task.Run(() => runner.RunAsync(job, cancellationToken: cancellationToken), cancellationToken));
        var winner = _running.GetOrAdd(job.JobId, run);
        if (!ReferenceEquals(winner, run))
        {
            return Task.FromResult(StartOutcome.AlreadyExists);
        }

        _ = winner.Value;
        return Task.FromResult(StartOutcome.Started);
    }

    /// <summary>The result of a job this starter started.</summary>
    public Task<UploadResult> CompletionAsync(string jobId) =>
        _running.TryGetValue(jobId, out var run) ? run.Value : throw new InvalidOperationException($"Job {jobId} was not started here.");
}
