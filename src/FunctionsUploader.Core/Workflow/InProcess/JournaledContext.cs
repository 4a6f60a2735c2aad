using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Workflow.InProcess;

/// <summary>
/// <see cref="IWorkflowContext"/> over a <see cref="Journal"/>, run on a <see cref="WorkflowLoop"/>. Calls already
/// in the journal must be the same call as before (else the workflow is not deterministic), and their recorded
/// completions are handed back in the order the journal holds them; new calls run through the
/// <see cref="CallRunner"/> and are journaled in the order the workflow sees them end. Without a runner it only
/// replays: that is the replay checker.
/// </summary>
internal sealed class JournaledContext : IWorkflowContext, WorkflowLoop.IEventSource
{
    private readonly Journal _journal;
    private readonly CallRunner? _runner;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory? _loggers;
    private readonly WorkflowLoop _loop = new();
    private readonly Dictionary<int, JournalEntry> _recorded = [];
    private readonly Queue<JournalEntry> _history;
    private readonly Dictionary<int, Action<JournalEntry>> _waiting = [];
    private DateTime _now;
    private int _sequence;
    private bool _replaying;

    public JournaledContext(string instanceId, Journal journal, CallRunner? runner, TimeProvider time, ILoggerFactory? loggers)
    {
        InstanceId = instanceId;
        _journal = journal;
        _runner = runner;
        _time = time;
        _loggers = loggers;
        _now = journal.FindKind(JournalEntry.Started)?.Time ?? time.GetUtcNow().UtcDateTime;
        _history = new Queue<JournalEntry>(journal.Entries.Where(e => e.Sequence >= 0));
        foreach (var entry in _history)
        {
            _recorded.TryAdd(entry.Sequence, entry);
        }

        _replaying = _history.Count > 0;
    }

    public string InstanceId { get; }

    public bool IsReplaying => _replaying;

    /// <summary>
    /// Like Durable's clock, time moves only as events arrive: the start, then each completion the workflow sees.
    /// So a first run and a resumed run compute the same timer deadlines.
    /// </summary>
    public DateTime CurrentUtcDateTime => _now;

    public object? CustomStatus { get; private set; }

    /// <summary>How many calls the workflow has made so far.</summary>
    public int CallsMade => _sequence;

    public Action<object?>? StatusChanged { get; init; }

    public Exception? Fault { get; private set; }

    public Task<TResult> CallActivityAsync<TResult>(string name, object? input, RetrySettings? retry = null) =>
        Call<TResult>(JournalEntry.Activity, name, input, ct => _runner!.RunActivityAsync(name, input, retry, ct));

    public Task<TResult> CallSubOrchestratorAsync<TResult>(string name, string instanceId, object? input) =>
        Call<TResult>(JournalEntry.SubOrchestration, name, input, _ => _runner!.RunOrchestrationAsync(name, instanceId, input!));

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) =>
        Call<bool>(JournalEntry.Timer, "timer", fireAt, async ct =>
        {
            var wait = fireAt - _time.GetUtcNow().UtcDateTime;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, ct);
            }

            return true;
        });

    public void SetCustomStatus(object? status)
    {
        CustomStatus = status;
        StatusChanged?.Invoke(status);
    }

    public ILogger CreateReplaySafeLogger(string categoryName) =>
        _runner is null ? NullLogger.Instance : new ReplaySafeLogger(this, (_loggers ?? NullLoggerFactory.Instance).CreateLogger(categoryName));

    /// <summary>Runs (or replays) the orchestration on this instance's own loop and returns its result.</summary>
    public Task<object> RunAsync(Func<IWorkflowContext, object, Task<object>> orchestration, object input) =>
        _loop.RunAsync(() => orchestration(this, input), this, _runner?.CancellationToken ?? CancellationToken.None);

    Action? WorkflowLoop.IEventSource.NextRecorded()
    {
        if (_history.TryDequeue(out var entry))
        {
            return () => Deliver(entry);
        }

        _replaying = false;
        return null;
    }

    Exception? WorkflowLoop.IEventSource.Stalled() => _runner is not null ? null : new NonDeterministicWorkflowException(
        $"{InstanceId}: the history ends while the workflow still waits for call #{string.Join(", #", _waiting.Keys.Order())}.");

    private Task<TResult> Call<TResult>(string kind, string name, object? input, Func<CancellationToken, Task<object?>> live)
    {
        var sequence = _sequence++;
        var inputJson = JsonSerializer.Serialize(input, Journal.Json);
        var call = new TaskCompletionSource<TResult>();
        if (_recorded.TryGetValue(sequence, out var recorded))
        {
            if (recorded.Kind != kind || recorded.Name != name || recorded.Input != inputJson)
            {
                Fault ??= new NonDeterministicWorkflowException(
                    $"{InstanceId} call #{sequence}: the history has {recorded.Kind} '{recorded.Name}' with input {Shorten(recorded.Input)}, " +
                    $"but the workflow now asks for {kind} '{name}' with input {Shorten(inputJson)}.");
                return call.Task;
            }
        }
        else if (_runner is null)
        {
            Fault ??= new NonDeterministicWorkflowException($"{InstanceId} call #{sequence}: the workflow asks for {kind} '{name}', but the history ends before it.");
            return call.Task;
        }
        else
        {
            StartLive(sequence, kind, name, inputJson, live, _runner.CancellationToken);
        }

        _waiting[sequence] = entry => Complete(call, entry);
        return call.Task;
    }

    private void StartLive(int sequence, string kind, string name, string inputJson, Func<CancellationToken, Task<object?>> live, CancellationToken stopping) =>
        _ = Task.Run(() => live(stopping), CancellationToken.None).ContinueWith(
            done =>
            {
                var error = done.IsCanceled ? new OperationCanceledException() : done.Exception?.InnerException;
                if (error is OperationCanceledException && stopping.IsCancellationRequested)
                {
                    return; // The process is stopping: nothing more is journaled, as after a kill.
                }

                _loop.Raise(() =>
                {
                    // A round trip through JSON, as Durable's data converter does: no activity shares the workflow's objects.
                    var now = _time.GetUtcNow().UtcDateTime;
                    var entry = error is null
                        ? new JournalEntry(sequence, kind, name, inputJson, JsonSerializer.Serialize(done.Result, Journal.Json), null, null, now)
                        : new JournalEntry(sequence, kind, name, inputJson, null, (error as ActivityFailedException)?.ErrorType ?? error.GetType().FullName, error.Message, now);
                    _journal.Append(entry);
                    Deliver(entry);
                });
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private void Deliver(JournalEntry entry)
    {
        if (entry.Time > _now)
        {
            _now = entry.Time;
        }

        if (!_waiting.Remove(entry.Sequence, out var complete))
        {
            Fault ??= new NonDeterministicWorkflowException(
                $"{InstanceId}: the history has {entry.Kind} '{entry.Name}' (call #{entry.Sequence}) ending here, but the workflow never asked for it.");
            return;
        }

        complete(entry);
    }

    private static void Complete<TResult>(TaskCompletionSource<TResult> call, JournalEntry entry)
    {
        if (entry.ErrorType is not null)
        {
            call.SetException(new ActivityFailedException(entry.Name, entry.ErrorType, entry.ErrorMessage ?? "failed"));
            return;
        }

        TResult result;
        try
        {
            result = JsonSerializer.Deserialize<TResult>(entry.Result ?? "null", Journal.Json)!;
        }
        catch (JsonException e)
        {
            call.SetException(e);
            return;
        }

        call.SetResult(result);
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
