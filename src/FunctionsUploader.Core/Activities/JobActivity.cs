using FunctionsUploader.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

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

    /// <summary>
    /// Runs a later step of the job inside this activity, to save the job a trip through the engine. A failure is
    /// logged (its type only) and gives null: the orchestration then runs the step as its own activity, with retries.
    /// </summary>
    protected static async Task<T?> TryStepAsync<T>(ILogger logger, string jobId, string step, string activity, Func<Task<T>> run)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return await run();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.StepHandedBack(jobId, step, activity, e.GetType().Name);
            return null;
        }
    }
}
