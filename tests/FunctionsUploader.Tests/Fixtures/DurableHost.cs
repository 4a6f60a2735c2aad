using System.Collections.Concurrent;
using FunctionsUploader.Simulators.Emulators;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Tests.Fixtures;

/// <summary>
/// The real Durable Task engine in this process (DurableTaskTestHost: in-memory backend behind a gRPC sidecar, the
/// real worker and client, real replay), with every payload that enters an orchestration history recorded, so
/// tests can look into the history for secrets.
/// </summary>
public sealed class DurableHost : IAsyncDisposable
{
    private readonly DurableTaskTestHost _host;
    private readonly RecordingConverter _payloads;

    private DurableHost(DurableTaskTestHost host, RecordingConverter payloads)
    {
        _host = host;
        _payloads = payloads;
    }

    public DurableTaskClient Client => _host.Client;

    /// <summary>The worker's services: what activities and functions are made from.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Every serialized input, output and custom status that went into a history or came out of one.</summary>
    public IReadOnlyCollection<string> HistoryPayloads => _payloads.Payloads;

    public static async Task<DurableHost> StartAsync(Action<DurableTaskRegistry> tasks, Action<IServiceCollection>? services = null, ILoggerProvider? logs = null)
    {
        var payloads = new RecordingConverter();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new DurableHost(await DurableTaskTestHost.StartAsync(tasks, Options(payloads, services, logs)), payloads);
            }
            catch (IOException) when (attempt < 3)
            {
                // Another process took the sidecar's port between the look and the bind: try another.
            }
        }
    }

    private static DurableTaskTestHostOptions Options(RecordingConverter payloads, Action<IServiceCollection>? services, ILoggerProvider? logs) =>
        new()
        {
            // The host picks a random port in 30000-40000 by itself, which parallel test classes collide on.
            Port = EmulatorProcess.FreeLoopbackPort(),
            LoggerFactory = LoggerFactory.Create(l => { if (logs is not null) { l.AddProvider(logs).SetMinimumLevel(LogLevel.Information).AddFilter("FunctionsUploader", LogLevel.Trace); } }),
            ConfigureServices = s =>
            {
                s.AddSingleton<DataConverter>(payloads);
                services?.Invoke(s);
            },
        };

    /// <summary>Runs an upload job to its end and returns its result and last custom status.</summary>
    public async Task<(UploadResult Result, UploadStatus Status)> RunAsync(UploadJob job, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        await Client.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.Upload, job, new StartOrchestrationOptions(job.JobId));
        return await CompletionAsync(job.JobId, timeout);
    }

    public async Task<(UploadResult Result, UploadStatus Status)> CompletionAsync(string jobId, TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        var done = await Client.WaitForInstanceCompletionAsync(jobId, getInputsAndOutputs: true, wait.Token);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{jobId} ended {done.RuntimeStatus}: {done.FailureDetails}");
        return (done.ReadOutputAs<UploadResult>()!, done.ReadCustomStatusAs<UploadStatus>()!);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private sealed class RecordingConverter : DataConverter
    {
        private readonly ConcurrentQueue<string> _payloads = new();

        public IReadOnlyCollection<string> Payloads => _payloads;

        public override string? Serialize(object? value)
        {
            var text = JsonDataConverter.Default.Serialize(value);
            if (text is not null)
            {
                _payloads.Enqueue(text);
            }

            return text;
        }

        public override object? Deserialize(string? data, Type targetType) => JsonDataConverter.Default.Deserialize(data, targetType);
    }
}
