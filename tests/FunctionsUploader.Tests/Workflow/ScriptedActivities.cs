using System.Collections.Concurrent;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask;

namespace FunctionsUploader.Tests.Workflow;

/// <summary>
/// Stand-in activities whose behaviour each test scripts: they exercise the orchestration logic (window,
/// retries, failures, compensation) on the real engine, not storage or HTTP, which the end-to-end tests cover with real servers.
/// </summary>
internal sealed class ScriptedActivities
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public Func<UploadJob, PreparedUpload> Prepare { get; set; } = _ => new PreparedUpload(1000, 10, 5, true, "asset-1", false, "md5");

    /// <summary>The Deliver activity (jobs of workflow version 2): by default Prepare's script, with nothing copied or finished.</summary>
    public Func<UploadJob, PreparedUpload>? Deliver { get; set; }

    public Func<CopyBatchRequest, Task<BatchCopied>> CopyBatch { get; set; } = r => Task.FromResult(new BatchCopied(r.Batch, 2, 200));

    public Func<UploadJob, Committed> Commit { get; set; } = _ => new Committed("asset-1", "md5");

    public Func<string, StepOutcome> Finish { get; set; } = _ => new StepOutcome(true);

    public Func<int, ProcessingCheck> CheckProcessing { get; set; } = _ => new ProcessingCheck(true, false, "ready");

    /// <summary>The Finish activity (jobs of workflow version 1 and later): by default every step done, processed, archived.</summary>
    public Func<UploadJob, FinishOutcome> FinishTogether { get; set; } = _ => new FinishOutcome(3, [], new ProcessingCheck(true, false, "ready"), new Archived("processed/together"));

    public Func<CompensateRequest, StepOutcome> Compensate { get; set; } = _ => new StepOutcome(true);

    public Func<ArchiveRequest, Archived> Archive { get; set; } = r => new Archived(r.Failure is null ? "processed/x" : "failed/x");

    public int Count(string name) => Calls.Count(c => c == name || c.StartsWith(name + ":", StringComparison.Ordinal));

    /// <summary>Registers the real orchestrators with these activities in their place.</summary>
    public void Register(DurableTaskRegistry registry)
    {
        var checks = 0;
        foreach (var orchestrator in UploadTasks.Orchestrators)
        {
            registry.AddOrchestrator(orchestrator);
        }

        Add<UploadJob, PreparedUpload>(registry, ActivityNames.Prepare, j => Task.FromResult(Prepare(j)));
        Add<UploadJob, PreparedUpload>(registry, ActivityNames.Deliver, j => Task.FromResult((Deliver ?? Prepare)(j)));
        Add<CopyBatchRequest, BatchCopied>(registry, ActivityNames.CopyBatch, r => CopyBatch(r), r => $":{r.Batch}");
        Add<UploadJob, Committed>(registry, ActivityNames.Commit, j => Task.FromResult(Commit(j)));
        Add<UploadJob, StepOutcome>(registry, ActivityNames.SetMetadata, _ => Task.FromResult(Finish(ActivityNames.SetMetadata)));
        Add<UploadJob, StepOutcome>(registry, ActivityNames.SetCategories, _ => Task.FromResult(Finish(ActivityNames.SetCategories)));
        Add<UploadJob, StepOutcome>(registry, ActivityNames.SetStatus, _ => Task.FromResult(Finish(ActivityNames.SetStatus)));
        Add<UploadJob, ProcessingCheck>(registry, ActivityNames.CheckProcessing, _ => Task.FromResult(CheckProcessing(Interlocked.Increment(ref checks))));
        Add<UploadJob, FinishOutcome>(registry, ActivityNames.Finish, j => Task.FromResult(FinishTogether(j)));
        Add<CompensateRequest, StepOutcome>(registry, ActivityNames.Compensate, r => Task.FromResult(Compensate(r)));
        Add<ArchiveRequest, Archived>(registry, ActivityNames.Archive, r => Task.FromResult(Archive(r)));
    }

    /// <summary>A job as started before the Finish activity existed (workflow version 0), unless <paramref name="version"/> says otherwise.</summary>
    public static UploadJob Job(string id = "job-1", WorkflowSettings? settings = null, int version = 0) =>
        new(id, "mediavalet", new SourceRef("staging", "clip.mp4", "\"0x1\""), new UploadDetails { Title = "Clip" },
            settings ?? new WorkflowSettings { Retry = WorkflowRetryOptions.Fast(), ProcessingPollInterval = TimeSpan.FromMilliseconds(5) })
        {
            WorkflowVersion = version,
        };

    private void Add<TIn, TOut>(DurableTaskRegistry registry, string name, Func<TIn, Task<TOut>> run, Func<TIn, string>? label = null) =>
        registry.AddActivityFunc<TIn, TOut>(name, async (_, input) =>
        {
            Calls.Enqueue(name + (label?.Invoke(input) ?? string.Empty));
            return await run(input);
        });
}
