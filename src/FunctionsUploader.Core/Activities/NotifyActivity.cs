using FunctionsUploader.Callbacks;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask;

namespace FunctionsUploader.Activities;

/// <summary>After the job ends: POST its result, signed, to the callback URL it was given.</summary>
[DurableTask(ActivityNames.Notify)]
public sealed class NotifyActivity(CallbackSender sender) : JobActivity<CallbackRequest, StepOutcome>
{
    protected override async Task<StepOutcome> ExecuteAsync(CallbackRequest input, CancellationToken cancellationToken)
    {
        await sender.SendAsync(input, cancellationToken);
        return new StepOutcome(true);
    }
}
