using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Workflow.InProcess;

/// <summary>
/// Runs the live calls of an in-process orchestration: activities through DI with the orchestration-level retry
/// policy (permanent failures are not retried), and sub-orchestrations with journals of their own.
/// </summary>
internal sealed class CallRunner(
    IServiceProvider services,
    IReadOnlyDictionary<string, ActivityRegistration> activities,
    Func<string, Journal> openJournal,
    TimeProvider time,
    ILoggerFactory loggers,
    CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public async Task<object?> RunActivityAsync(string name, object? input, RetrySettings? retry, CancellationToken cancellationToken)
    {
        if (!activities.TryGetValue(name, out var registration))
        {
            throw new ActivityFailedException(name, typeof(InvalidOperationException).FullName!, $"No activity named '{name}' is registered.");
        }

        // The activity gets its own copy of the input, as it would across the Durable boundary.
        var copy = JsonSerializer.Deserialize(JsonSerializer.Serialize(input, Journal.Json), registration.InputType, Journal.Json);
        var attempts = Math.Max(1, retry?.MaxAttempts ?? 1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Task.Run(() => registration.Invoke(services, copy, cancellationToken), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var permanent = e is PermanentFailureException;
                if (permanent || attempt >= attempts)
                {
                    var message = attempt > 1 ? $"{e.Message} (after {attempt} attempts)" : e.Message;
                    throw new ActivityFailedException(name, e.GetType().FullName!, message);
                }

                Logs.ActivityRetry(loggers.CreateLogger<CallRunner>(), name, attempt, e.GetType().Name);
                await Task.Delay(DelayBefore(retry!, attempt + 1), time, cancellationToken);
            }
        }
    }

    private static TimeSpan DelayBefore(RetrySettings retry, int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(retry.FirstInterval.TotalMilliseconds * Math.Pow(retry.BackoffCoefficient, attempt - 2), retry.MaxInterval.TotalMilliseconds));

    /// <summary>
    /// Runs (or resumes) an orchestration under its own journal; one that already completed returns its recorded
    /// result. A resumed instance must be asked with the input it started with.
    /// </summary>
    public async Task<object?> RunOrchestrationAsync(string name, string instanceId, object input, Action<object?>? statusChanged = null)
    {
        if (!Orchestrations.All.TryGetValue(name, out var orchestration))
        {
            throw new ActivityFailedException(name, typeof(InvalidOperationException).FullName!, $"No orchestration named '{name}' is registered.");
        }

        var journal = openJournal(instanceId);
        var inputJson = JsonSerializer.Serialize(input, Journal.Json);
        if (journal.FindKind(JournalEntry.Started) is { } started)
        {
            if (started.Name != name || started.Input != inputJson)
            {
                throw new InvalidOperationException($"Job {instanceId} was started with other input; resume it with the input it was started with.");
            }

            if (journal.FindKind(JournalEntry.Completed) is { } completed)
            {
                return completed.ErrorType is not null
                    ? throw new ActivityFailedException(name, completed.ErrorType, completed.ErrorMessage ?? "failed")
                    : JsonSerializer.Deserialize(completed.Result ?? "null", orchestration.Output, Journal.Json);
            }

            Logs.JobResumed(loggers.CreateLogger<CallRunner>(), instanceId, journal.Entries.Count - 1);
        }
        else
        {
            journal.Append(new JournalEntry(-1, JournalEntry.Started, name, inputJson, null, null, null, time.GetUtcNow().UtcDateTime));
        }

        var copy = JsonSerializer.Deserialize(inputJson, orchestration.Input, Journal.Json)!;
        var context = new JournaledContext(instanceId, journal, this, time, loggers) { StatusChanged = statusChanged };
        object result;
        try
        {
            result = await context.RunAsync(orchestration.Run, copy);
        }
        catch (Exception e) when (e is not NonDeterministicWorkflowException && !(e is OperationCanceledException && CancellationToken.IsCancellationRequested))
        {
            // As Durable records a failed instance: the type the orchestration threw and its message. That is what a
            // parent sees, now or when it asks again after a restart.
            var failure = new ActivityFailedException(name, e.GetType().FullName!, e.Message, e);
            journal.Append(new JournalEntry(-1, JournalEntry.Completed, name, null, null, failure.ErrorType, failure.Message, time.GetUtcNow().UtcDateTime));
            throw failure;
        }

        journal.Append(new JournalEntry(-1, JournalEntry.Completed, name, null, JsonSerializer.Serialize(result, Journal.Json), null, null, time.GetUtcNow().UtcDateTime));
        return result;
    }
}
