namespace FunctionsUploader.Workflow.InProcess;

/// <summary>
/// The one thread an orchestration instance runs on, as Durable's dispatcher gives it: every piece of workflow
/// code (each await's continuation) runs here, one at a time, and call completions arrive as events, one at a
/// time, only once the workflow has nothing left to run. So the workflow sees completions in exactly the order
/// the journal records them, and on replay (recorded events first) Task.WhenAny picks the same task as it did live.
/// </summary>
internal sealed class WorkflowLoop : SynchronizationContext
{
    private readonly object _gate = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _ready = new();
    private readonly Queue<Action> _events = new();

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_gate)
        {
            _ready.Enqueue((d, state));
            Monitor.PulseAll(_gate);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Workflow code never waits on another thread.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Queues an event from any thread (a live call that ended); it runs when the workflow is idle.</summary>
    public void Raise(Action handler)
    {
        lock (_gate)
        {
            _events.Enqueue(handler);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Runs <paramref name="start"/>, and everything it awaits, on a thread of its own until its task ends. Whenever
    /// the workflow is idle, <see cref="IEventSource.NextRecorded"/> supplies the next recorded event; once the history
    /// is used up, raised events run in the order they were raised. A fault the source reports ends the run.
    /// </summary>
    public Task<T> RunAsync<T>(Func<Task<T>> start, IEventSource source, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(start, source, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private T Run<T>(Func<Task<T>> start, IEventSource source, CancellationToken cancellationToken)
    {
        SetSynchronizationContext(this);
        using var wake = cancellationToken.Register(() => { lock (_gate) { Monitor.PulseAll(_gate); } });
        var workflow = start();
        while (true)
        {
            if (source.Fault is { } fault)
            {
                throw fault;
            }

            if (workflow.IsCompleted)
            {
                return workflow.GetAwaiter().GetResult();
            }

            Next(source, cancellationToken)();
        }
    }

    private Action Next(IEventSource source, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_ready.TryDequeue(out var ready))
            {
                return () => ready.Callback(ready.State);
            }
        }

        // Idle: the workflow waits for a call to end.
        if (source.NextRecorded() is { } recorded)
        {
            return recorded;
        }

        lock (_gate)
        {
            while (true)
            {
                // A stopping process journals nothing more, as if it had been killed here.
                cancellationToken.ThrowIfCancellationRequested();
                if (_ready.TryDequeue(out var ready))
                {
                    return () => ready.Callback(ready.State);
                }

                if (_events.TryDequeue(out var raised))
                {
                    return raised;
                }

                if (source.Stalled() is { } stalled)
                {
                    throw stalled;
                }

                Monitor.Wait(_gate);
            }
        }
    }

    /// <summary>Where a <see cref="WorkflowLoop"/> gets recorded events, and learns that the run cannot go on.</summary>
    internal interface IEventSource
    {
        /// <summary>Set when the workflow did something its history contradicts; the run ends with it.</summary>
        Exception? Fault { get; }

        /// <summary>The next event from the history, or null once it is used up.</summary>
        Action? NextRecorded();

        /// <summary>When no live event can come (replay only), why the run cannot finish; otherwise null.</summary>
        Exception? Stalled();
    }
}
