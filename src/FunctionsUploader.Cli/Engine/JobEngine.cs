using DurableTask.AzureStorage;
using DurableTask.AzureStorage.Tracking;
using DurableTask.Core;
using FunctionsUploader.Activities;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Cli.Engine;

/// <summary>
/// The Durable Task Framework under the CLI: DurableTask.Core's worker over the Azure Storage backend (the one
/// Durable Functions uses), running Core's orchestrators and activities through the SDK's shims, and its client for
/// starting, watching, listing and ending jobs. Tuned for a command line: one partition, no app lease, short polling,
/// and visibility timeouts after which a restarted process takes over what a killed one left.
/// </summary>
internal sealed class JobEngine : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly StateAccount _account;
    private readonly AzureStorageOrchestrationService _service;
    private readonly TaskHubClient _client;
    private readonly DurableTaskWorkerOptions _workerOptions;
    private readonly ILoggerFactory _loggers;
    private readonly LiveProgress _live;
    private TaskHubWorker? _worker;

    private JobEngine(StateAccount account, AzureStorageOrchestrationService service, DurableTaskWorkerOptions workerOptions, ILoggerFactory loggers, LiveProgress live)
    {
        _account = account;
        _service = service;
        _workerOptions = workerOptions;
        _loggers = loggers;
        _live = live;
        _client = new TaskHubClient(service, new ShimDataConverter(workerOptions.DataConverter), loggers);
    }

    /// <summary>This process may run the worker (see <see cref="StateAccount.OwnsState"/>).</summary>
    public bool OwnsState => _account.OwnsState;

    /// <summary>This process started the local state emulator (see <see cref="StateAccount.HoldsFolder"/>).</summary>
    public bool HoldsFolder => _account.HoldsFolder;

    /// <summary>Connects to the task hub in <paramref name="account"/>, creating its queues and tables when missing. Takes over the account.</summary>
    /// <param name="live">Merges what running copy batches report into a job's status (see <see cref="LiveProgress"/>).</param>
    public static async Task<JobEngine> OpenAsync(StateAccount account, CliOptions options, ILoggerFactory loggers, LiveProgress live)
    {
        try
        {
            var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
            {
                StorageAccountClientProvider = new StorageAccountClientProvider(account.ConnectionString),
                TaskHubName = options.TaskHub,
                PartitionCount = 1,
                UseAppLease = false,
                UseTablePartitionManagement = true,
                MaxQueuePollingInterval = PollInterval,
                WorkItemQueueVisibilityTimeout = options.VisibilityTimeout,
                ControlQueueVisibilityTimeout = options.VisibilityTimeout,
                LoggerFactory = loggers,
            });
            await service.CreateIfNotExistsAsync();
            return new JobEngine(account, service, new DurableTaskWorkerOptions(), loggers, live);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or FormatException or ArgumentException)
        {
            await account.DisposeAsync();
            throw new SetupException($"the engine's state account cannot be used ({CliOptions.Section}:StateStorage): {e.Message.Split('\n')[0]}", e);
        }
        catch
        {
            await account.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the worker: from now on this process runs every job of the task hub that is not finished.</summary>
    public async Task StartWorkerAsync(IServiceProvider services)
    {
        var shims = new DurableTaskShimFactory(_workerOptions, _loggers);
        var worker = new TaskHubWorker(_service, _loggers) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        worker.AddTaskOrchestrations([.. UploadTasks.Orchestrators.Select(t => new ShimOrchestrationCreator(t, services, shims))]);
        worker.AddTaskActivities([.. UploadTasks.Activities.Select(t => new ShimActivityCreator(t, services, shims))]);
        await worker.StartAsync();
        _worker = worker;
    }

    /// <summary>Starts the job's orchestration (instance id = job id), replacing an earlier execution that did not succeed.</summary>
    public Task StartAsync(UploadJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _client.CreateOrchestrationInstanceAsync(OrchestrationNames.Upload, string.Empty, job.JobId, job);
    }

    /// <summary>The job with this id, with its live progress, or null when no such job was started in this task hub.</summary>
    public async Task<JobState?> GetAsync(string jobId)
    {
        var state = await _client.GetOrchestrationStateAsync(jobId);
        return state is { Name: OrchestrationNames.Upload } ? await WithLiveProgressAsync(Read(state), CancellationToken.None) : null;
    }

    /// <summary>Every job of the task hub (not their transfer slices), newest first (as GET /api/uploads), the running ones with their live progress.</summary>
    public async Task<IReadOnlyList<JobState>> ListAsync(CancellationToken cancellationToken)
    {
        var jobs = (await QueryAsync(new OrchestrationInstanceStatusQueryCondition(), cancellationToken))
            .Where(s => s.Name == OrchestrationNames.Upload).Select(Read).OrderByDescending(j => j.CreatedAt);
        return await Task.WhenAll(jobs.Select(j => WithLiveProgressAsync(j, cancellationToken)));
    }

    /// <summary>Watches the job until it ends, handing every status it sets to <paramref name="progress"/>.</summary>
    public async Task<JobState> WaitAsync(string jobId, Action<UploadStatus> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        while (true)
        {
            var state = await GetAsync(jobId) ?? throw new InvalidOperationException($"The job {jobId} is gone from the task hub.");
            if (state.Status is { } status)
            {
                progress(status);
            }

            if (state.IsFinished)
            {
                return state;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// Ends the job's orchestration and its transfer slices (the engine terminates no children by itself) and waits
    /// until the job shows as ended; without a worker the termination waits in its queue for the next one.
    /// </summary>
    public async Task<JobState> TerminateAsync(string jobId, string reason, CancellationToken cancellationToken)
    {
        await _client.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = jobId }, reason);
        var running = new OrchestrationInstanceStatusQueryCondition
        {
            InstanceIdPrefix = UploadOrchestrator.TransferInstancePrefix(jobId),
            RuntimeStatus = [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Suspended],
        };
        foreach (var slice in await QueryAsync(running, cancellationToken))
        {
            await _client.TerminateInstanceAsync(slice.OrchestrationInstance, reason);
        }

        return await WaitAsync(jobId, _ => { }, cancellationToken);
    }

    /// <summary>
    /// What the job cost the engine, from the histories of the job and its transfer slices: how many times their
    /// orchestrators ran (replays included), and their history events, in all and in the fullest one.
    /// </summary>
    public async Task<EngineLoad> GetEngineLoadAsync(string jobId, CancellationToken cancellationToken)
    {
        var load = new EngineLoad(0, 0, 0, 0);
        foreach (var instance in await InstancesOfAsync(jobId, cancellationToken))
        {
            var history = await _client.GetOrchestrationHistoryAsync(instance);
            var events = CountOccurrences(history, "\"EventType\":");
            load = new EngineLoad(
                load.Orchestrations + 1,
                load.OrchestratorExecutions + CountOccurrences(history, "\"EventType\":12"),
                load.HistoryEvents + events,
                Math.Max(load.MostHistoryEvents, events));
        }

        return load;
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            // Forced: work in flight is left to the visibility timeout, exactly as after a kill, for `resume`.
            await _worker.StopAsync(isForced: true);
            _worker.Dispose();
        }

        _service.Dispose();
        await _account.DisposeAsync();
    }

    private async Task<IEnumerable<OrchestrationInstance>> InstancesOfAsync(string jobId, CancellationToken cancellationToken) =>
        (await QueryAsync(new OrchestrationInstanceStatusQueryCondition { InstanceIdPrefix = jobId }, cancellationToken))
            .Where(s => s.OrchestrationInstance.InstanceId == jobId || s.OrchestrationInstance.InstanceId.StartsWith(UploadOrchestrator.TransferInstancePrefix(jobId), StringComparison.Ordinal))
            .Select(s => s.OrchestrationInstance);

    /// <summary>Every instance the service's query finds, page after page.</summary>
    private async Task<List<OrchestrationState>> QueryAsync(OrchestrationInstanceStatusQueryCondition condition, CancellationToken cancellationToken)
    {
        var states = new List<OrchestrationState>();
        string? continuation = null;
        do
        {
            var page = await _service.GetOrchestrationStateAsync(condition, 100, continuation, cancellationToken);
            states.AddRange(page.OrchestrationState);
            continuation = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuation));
        return states;
    }

    /// <summary>
    /// A running job's custom status counts finished batches only: add what its running batches (of the transfer slice
    /// it names, if any) have reported to the job store, as the Functions app's status function does (see <see cref="LiveProgress"/>).
    /// </summary>
    private async Task<JobState> WithLiveProgressAsync(JobState job, CancellationToken cancellationToken)
    {
        if (job.IsFinished || job.Status is not { } status)
        {
            return job;
        }

        UploadStatus? slice = null;
        if (status.TransferSlice is { } sliceId && await _client.GetOrchestrationStateAsync(sliceId) is { Status: { Length: > 0 } sliceStatus })
        {
            slice = _workerOptions.DataConverter.Deserialize<UploadStatus>(sliceStatus);
        }

        return job with { Status = await _live.MergeAsync(job.JobId, status, slice, cancellationToken) };
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private JobState Read(OrchestrationState state)
    {
        var converter = _workerOptions.DataConverter;
        var finished = state.OrchestrationStatus is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;
        return new JobState(
            state.OrchestrationInstance.InstanceId,
            state.OrchestrationStatus.ToString(),
            finished,
            string.IsNullOrEmpty(state.Input) ? null : converter.Deserialize<UploadJob>(state.Input),
            string.IsNullOrEmpty(state.Status) ? null : converter.Deserialize<UploadStatus>(state.Status),
            state.OrchestrationStatus == OrchestrationStatus.Completed && !string.IsNullOrEmpty(state.Output) ? converter.Deserialize<UploadResult>(state.Output) : null,
            state.OrchestrationStatus is OrchestrationStatus.Failed or OrchestrationStatus.Terminated ? FirstLine(state.Output) : null,
            new DateTimeOffset(state.CreatedTime, TimeSpan.Zero),
            new DateTimeOffset(state.LastUpdatedTime, TimeSpan.Zero));
    }

    // A failed orchestration's output is the exception's text, stack trace included: the first line says why.
    private static string? FirstLine(string? text) => text?.Split('\n', 2)[0].Trim();
}

/// <summary>What a job cost the engine: its orchestrations (the job and its transfer slices), their executions (replays included) and history events.</summary>
internal sealed record EngineLoad(int Orchestrations, int OrchestratorExecutions, int HistoryEvents, int MostHistoryEvents);

/// <summary>What the engine knows of one job: its input, last custom status, and how it ended.</summary>
internal sealed record JobState(
    string JobId,
    string RuntimeStatus,
    bool IsFinished,
    UploadJob? Job,
    UploadStatus? Status,
    UploadResult? Result,
    string? Failure,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
