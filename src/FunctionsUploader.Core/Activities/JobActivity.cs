using FunctionsUploader.Workflow;
using Microsoft.DurableTask;

namespace FunctionsUploader.Activities;

/// <summary>
/// A step of the upload workflow as a Durable activity. Failures that retrying cannot fix leave it as
/// <see cref="PermanentFailureException"/> (see <see cref="PermanentFailures"/>), so every host retries the same.
/// </summary>
public abstract class JobActivity<TInput, TOutput> : TaskActivity<TInput, TOutput>
    where TInput : class
{
    /// <summary>Durable's entry point. Durable Task gives activities no cancellation; the Functions app passes its own.</summary>
    public sealed override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => RunAsync(input, CancellationToken.None);

    public async Task<TOutput> RunAsync(TInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            return await ExecuteAsync(input, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && !ReferenceEquals(PermanentFailures.Classify(e), e))
        {
            throw PermanentFailures.Classify(e);
        }
    }

    protected abstract Task<TOutput> ExecuteAsync(TInput input, CancellationToken cancellationToken);
}
