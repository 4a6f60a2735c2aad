using System.Collections.Concurrent;
using FunctionsUploader.Workflow;
using FunctionsUploader.Workflow.InProcess;

namespace FunctionsUploader.Tests.Workflow;

/// <summary>
/// Stand-in activities whose behaviour each test scripts: they exercise the orchestration logic (window,
/// retries, failures, resume, replay), not storage or HTTP, which the end-to-end tests cover with real servers.
/// </summary>
internal sealed class ScriptedActivities
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public Func<UploadJob, PreparedUpload> Prepare { get; set; } = _ => new PreparedUpload(1000, 10, 5, true, "asset-1", false, "md5");

    public Func<CopyBatchRequest, Task<BatchCopied>> CopyBatch { get; set; } = r => Task.FromResult(new BatchCopied(r.Batch, 2, 200));

    public Func<UploadJob, Committed> Commit { get; set; } = _ => new Committed("asset-1", "md5");

    public Func<string, StepOutcome> Finish { get; set; } = _ => new StepOutcome(true);

    public Func<int, ProcessingCheck> CheckProcessing { get; set; } = _ => new ProcessingCheck(true, false, "ready");

    public Func<CompensateRequest, StepOutcome> Compensate { get; set; } = _ => new StepOutcome(true);

    public Func<ArchiveRequest, Archived> Archive { get; set; } = r => new Archived(r.Failure is null ? "processed/x" : "failed/x");

    public int Count(string name) => Calls.Count(c => c == name || c.StartsWith(name + ":", StringComparison.Ordinal));

    public IReadOnlyDictionary<string, ActivityRegistration> Registrations()
    {
        var checks = 0;
        return new Dictionary<string, ActivityRegistration>
        {
            [ActivityNames.Prepare] = Register<UploadJob, PreparedUpload>(ActivityNames.Prepare, j => Task.FromResult(Prepare(j))),
            [ActivityNames.CopyBatch] = Register<CopyBatchRequest, BatchCopied>(ActivityNames.CopyBatch, r => CopyBatch(r), r => $":{r.Batch}"),
            [ActivityNames.Commit] = Register<UploadJob, Committed>(ActivityNames.Commit, j => Task.FromResult(Commit(j))),
            [ActivityNames.SetMetadata] = Register<UploadJob, StepOutcome>(ActivityNames.SetMetadata, _ => Task.FromResult(Finish(ActivityNames.SetMetadata))),
            [ActivityNames.SetCategories] = Register<UploadJob, StepOutcome>(ActivityNames.SetCategories, _ => Task.FromResult(Finish(ActivityNames.SetCategories))),
            [ActivityNames.SetStatus] = Register<UploadJob, StepOutcome>(ActivityNames.SetStatus, _ => Task.FromResult(Finish(ActivityNames.SetStatus))),
            [ActivityNames.CheckProcessing] = Register<UploadJob, ProcessingCheck>(ActivityNames.CheckProcessing, _ => Task.FromResult(CheckProcessing(Interlocked.Increment(ref checks)))),
            [ActivityNames.Compensate] = Register<CompensateRequest, StepOutcome>(ActivityNames.Compensate, r => Task.FromResult(Compensate(r))),
            [ActivityNames.Archive] = Register<ArchiveRequest, Archived>(ActivityNames.Archive, r => Task.FromResult(Archive(r))),
        };
    }

    public static UploadJob Job(string id = "job-1", WorkflowSettings? settings = null) =>
        new(id, "mediavalet", new SourceRef("staging", "clip.mp4", "\"0x1\""), new UploadDetails { Title = "Clip" },
            settings ?? new WorkflowSettings { Retry = WorkflowRetryOptions.Fast(), ProcessingPollInterval = TimeSpan.FromMilliseconds(5) });

    private ActivityRegistration Register<TIn, TOut>(string name, Func<TIn, Task<TOut>> run, Func<TIn, string>? label = null) =>
        new(name, typeof(TIn), typeof(TOut), async (_, input, _) =>
        {
            Calls.Enqueue(name + (label?.Invoke((TIn)input!) ?? string.Empty));
            return await run((TIn)input!);
        });
}
