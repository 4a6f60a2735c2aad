using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Workflow.InProcess;

/// <summary>
/// <see cref="IWorkflowContext"/> over a <see cref="Journal"/>: calls already in the journal return what they
/// returned before (and must be the same call, else the workflow is not deterministic); new calls run through
/// the <see cref="CallRunner"/> and are journaled. Without a runner it only replays: that is the replay checker.
/// </summary>
internal sealed class JournaledContext(string instanceId, Journal journal, CallRunner? runner, TimeProvider time, ILoggerFactory? loggers) : IWorkflowContext
{
    private readonly DateTime _startedAt = journal.FindKind(JournalEntry.Started)?.Time ?? time.GetUtcNow().UtcDateTime;
    private int _sequence;
    private long _observedTicks;

    public string InstanceId { get; } = instanceId;

    public bool IsReplaying => journal.Find(string.Empty, _sequence) is not null;

    /// <summary>
    /// Like Durable's clock, time moves only as recorded events arrive: the start, then the latest completed
    /// call the workflow has seen. So a first run and a resumed run compute the same timer deadlines.
    /// </summary>
    public DateTime CurrentUtcDateTime => new(Math.Max(_startedAt.Ticks, Interlocked.Read(ref _observedTicks)), DateTimeKind.Utc);

    public object? CustomStatus { get; private set; }

    /// <summary>How many calls the workflow has made so far.</summary>
    public int CallsMade => _sequence;

    public Action<object?>? StatusChanged { get; init; }

    public Task<TResult> CallActivityAsync<TResult>(string name, object? input, RetryPolicy? retry = null) =>
        CallAsync<TResult>(JournalEntry.Activity, name, input, ct => runner!.RunActivityAsync(name, input, retry, ct));

    public Task<TResult> CallSubOrchestratorAsync<TResult>(string name, string instanceId, object? input) =>
        CallAsync<TResult>(JournalEntry.SubOrchestration, name, input, _ => runner!.RunOrchestrationAsync(name, instanceId, input!));

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) =>
        CallAsync<bool>(JournalEntry.Timer, "timer", fireAt, async ct =>
        {
            var wait = fireAt - time.GetUtcNow().UtcDateTime;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, ct);
            }

            return true;
        });

    public void SetCustomStatus(object? status)
    {
        CustomStatus = status;
        StatusChanged?.Invoke(status);
    }

    public ILogger CreateReplaySafeLogger(string categoryName) =>
        runner is null ? NullLogger.Instance : new ReplaySafeLogger(this, (loggers ?? NullLoggerFactory.Instance).CreateLogger(categoryName));

    private async Task<TResult> CallAsync<TResult>(string kind, string name, object? input, Func<CancellationToken, Task<object?>> live)
    {
        var sequence = _sequence++;
        var inputJson = JsonSerializer.Serialize(input, Journal.Json);
        if (journal.Find(string.Empty, sequence) is { } recorded)
        {
            if (recorded.Kind != kind || recorded.Name != name || recorded.Input != inputJson)
            {
                throw new NonDeterministicWorkflowException(
                    $"{InstanceId} call #{sequence}: the history has {recorded.Kind} '{recorded.Name}' with input {Shorten(recorded.Input)}, " +
                    $"but the workflow now asks for {kind} '{name}' with input {Shorten(inputJson)}.");
            }

            return Deliver<TResult>(recorded);
        }

        if (runner is null)
        {
            throw new NonDeterministicWorkflowException($"{InstanceId} call #{sequence}: the workflow asks for {kind} '{name}', but the history ends before it.");
        }

        JournalEntry entry;
        try
        {
            // A round trip through JSON, as Durable's data converter does: no activity shares the workflow's objects.
            var result = await live(runner.CancellationToken);
            entry = new JournalEntry(sequence, kind, name, inputJson, JsonSerializer.Serialize(result, Journal.Json), null, null, time.GetUtcNow().UtcDateTime);
        }
        catch (Exception e) when (e is not OperationCanceledException || !runner.CancellationToken.IsCancellationRequested)
        {
            var failure = e as ActivityFailedException;
            entry = new JournalEntry(sequence, kind, name, inputJson, null, failure?.ErrorType ?? e.GetType().FullName, e.Message, time.GetUtcNow().UtcDateTime);
        }

        journal.Append(entry);
        return Deliver<TResult>(entry);
    }

    private TResult Deliver<TResult>(JournalEntry entry)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _observedTicks);
        }
        while (entry.Time.Ticks > seen && Interlocked.CompareExchange(ref _observedTicks, entry.Time.Ticks, seen) != seen);

        if (entry.ErrorType is not null)
        {
            throw new ActivityFailedException(entry.Name, entry.ErrorType, entry.ErrorMessage ?? "failed");
        }

        return JsonSerializer.Deserialize<TResult>(entry.Result ?? "null", Journal.Json)!;
    }

    private static string Shorten(string? json) => json is null ? "(none)" : json.Length <= 200 ? json : json[..200] + "…";

    private sealed class ReplaySafeLogger(JournaledContext context, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => !context.IsReplaying && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!context.IsReplaying)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}

/// <summary>The workflow asked for something other than what its history recorded: it is not deterministic.</summary>
public sealed class NonDeterministicWorkflowException : Exception
{
    public NonDeterministicWorkflowException()
    {
    }

    public NonDeterministicWorkflowException(string message)
        : base(message)
    {
    }

    public NonDeterministicWorkflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
