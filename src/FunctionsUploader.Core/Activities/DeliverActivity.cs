using FunctionsUploader.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Activities;

/// <summary>
/// A whole job in one activity when nothing goes wrong (jobs of workflow version 2): Prepare, then, when the plan has a
/// single batch, that batch's copy and the commit, then what Finish does. A file of up to a batch then costs the engine
/// one activity, not three. Each later step that fails here is handed back, as Finish hands back its steps: a copy the
/// orchestration runs as its own CopyBatch activity, a commit as Commit, the steps after the commit as Finish.
/// </summary>
[DurableTask(ActivityNames.Deliver)]
public sealed class DeliverActivity(PrepareActivity prepare, CopyBatchActivity copy, FinishActivity finish, JobDocuments documents, ILogger<DeliverActivity> logger)
    : JobActivity<UploadJob, PreparedUpload>
{
    protected override async Task<PreparedUpload> ExecuteAsync(UploadJob input, CancellationToken cancellationToken)
    {
        var prepared = await prepare.RunAsync(input, cancellationToken);
        if (!prepared.AlreadyAtVendor)
        {
            if (prepared.BatchCount != 1)
            {
                return prepared;
            }

            var request = new CopyBatchRequest(input, 0) { ThenCommit = true };
            prepared = prepared with { Copied = await TryStepAsync(logger, input.JobId, ActivityNames.CopyBatch, ActivityNames.Deliver, () => copy.RunAsync(request, cancellationToken)) };
            // A cancel that came while the batch was copied or committed ended the orchestration: the cancellation
            // archives the source, and the steps after the commit are nobody's to run.
            if (prepared.Copied?.Committed is null || await documents.CancelledAsync(input.JobId, cancellationToken) is not null)
            {
                return prepared;
            }
        }

        return prepared with { Finished = await TryStepAsync(logger, input.JobId, ActivityNames.Finish, ActivityNames.Deliver, () => finish.RunAsync(input, cancellationToken)) };
    }
}
