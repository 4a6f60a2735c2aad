using FunctionsUploader.Activities;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Intake;

/// <summary>Whether a start created a job, found it already there (running or finished), or refused the file.</summary>
public enum StartOutcome
{
    Started,
    AlreadyExists,
    Rejected,
}

/// <summary>One job a start produced, and whether it was new; for a refused file, why (and no job id).</summary>
public sealed record StartedJob(string? JobId, string? Vendor, StartOutcome Outcome, string? Reason = null);

/// <summary>
/// Starts an orchestration under the job id, unless an instance with that id exists in any state. A host's
/// scheduler: Durable's client in the Functions app, the in-process runner in the CLI and tests.
/// </summary>
public interface IOrchestrationStarter
{
    Task<StartOutcome> StartIfNewAsync(UploadJob job, CancellationToken cancellationToken = default);
}

/// <summary>
/// Every way a job starts (a blob event, an HTTP request) goes through here: intake validates and resolves the
/// jobs, the starter creates each one unless it exists. Events arrive at least once, so a repeated event for the
/// same blob version finds the same job ids and starts nothing new.
/// </summary>
public sealed class UploadStarter(UploadIntake intake, IOrchestrationStarter starter, ArchiveActivity archive)
{
    public const string IntakeStep = "Intake";

    /// <summary>
    /// Starts the jobs for a blob that arrived in staging. A blob already gone (moved to processed/ by the job a
    /// previous delivery of this event started) starts nothing and is not an error. A file refused at intake has no
    /// one to tell but its folder: it moves to failed/ with &lt;name&gt;.error.json saying why.
    /// </summary>
    public async Task<IReadOnlyList<StartedJob>> FromBlobEventAsync(string blobName, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<UploadJob> jobs;
        try
        {
            jobs = await intake.FromBlobAsync(blobName, cancellationToken);
        }
        catch (IntakeException e) when (e.Problems.Count == 1 && e.Problems[0].Contains("does not exist", StringComparison.Ordinal))
        {
            return [];
        }
        catch (IntakeException e)
        {
            var source = new SourceRef(intake.StagingContainer, blobName, null);
            await archive.ArchiveAsync(source, null, null, new FailureReport(IntakeStep, e.Message, Permanent: true), cancellationToken);
            return [new StartedJob(null, null, StartOutcome.Rejected, e.Message)];
        }

        return await StartAllAsync(jobs, cancellationToken);
    }

    public async Task<IReadOnlyList<StartedJob>> FromRequestAsync(UploadInstructions request, CancellationToken cancellationToken = default) =>
        await StartAllAsync(await intake.FromRequestAsync(request, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<StartedJob>> StartAllAsync(IReadOnlyList<UploadJob> jobs, CancellationToken cancellationToken)
    {
        var started = new List<StartedJob>();
        foreach (var job in jobs)
        {
            started.Add(new StartedJob(job.JobId, job.Vendor, await starter.StartIfNewAsync(job, cancellationToken)));
        }

        return started;
    }
}
