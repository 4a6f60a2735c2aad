namespace FunctionsUploader.Workflow.InProcess;

/// <summary>One step of the workflow, run by every host: plain DI, small serializable input and output.</summary>
public interface IActivity<in TInput, TOutput>
{
    Task<TOutput> RunAsync(TInput input, CancellationToken cancellationToken);
}

/// <summary>How a host finds and runs an activity by name without knowing its types.</summary>
public sealed record ActivityRegistration(string Name, Type InputType, Type OutputType, Func<IServiceProvider, object?, CancellationToken, Task<object?>> Invoke)
{
    public static ActivityRegistration For<TActivity, TInput, TOutput>(string name)
        where TActivity : IActivity<TInput, TOutput>
        where TInput : class =>
        new(name, typeof(TInput), typeof(TOutput), async (services, input, cancellationToken) =>
        {
            var activity = (TActivity)(services.GetService(typeof(TActivity))
                ?? throw new InvalidOperationException($"Activity {name} ({typeof(TActivity).Name}) is not registered."));
            return await activity.RunAsync((TInput)input!, cancellationToken);
        });
}

/// <summary>The orchestrations a host can run, by name.</summary>
public static class Orchestrations
{
    public static readonly IReadOnlyDictionary<string, (Type Input, Type Output, Func<IWorkflowContext, object, Task<object>> Run)> All =
        new Dictionary<string, (Type, Type, Func<IWorkflowContext, object, Task<object>>)>
        {
            [OrchestrationNames.Upload] = (typeof(UploadJob), typeof(UploadResult), async (context, input) => await UploadWorkflow.RunAsync(context, (UploadJob)input)),
            [OrchestrationNames.Transfer] = (typeof(TransferSlice), typeof(TransferProgress), async (context, input) => await TransferWorkflow.RunAsync(context, (TransferSlice)input)),
        };
}
