using System.Text;
using System.Text.Json;
using FunctionsUploader.Activities;
using FunctionsUploader.Intake;
using FunctionsUploader.Jobs;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Tests.Workflow;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.DependencyInjection;
using FunctionsUploader.Functions;

namespace FunctionsUploader.Tests.Intake;

public sealed class UploadStarterTests(Emulators emulators) : IClassFixture<Emulators>, IAsyncLifetime
{
    private readonly ScriptedActivities _activities = new();
    private DurableHost? _engine;

    private DurableHost Engine => _engine ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync() => _engine = await DurableHost.StartAsync(_activities.Register);

    public async Task DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_same_blob_event_delivered_five_times_starts_one_job()
    {
        var (staging, starter, activities) = await SetUpAsync();
        await staging.Staging.GetBlobClient("dam/once.mp4").UploadAsync(BinaryData.FromBytes(new byte[10]), overwrite: true);

        var deliveries = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => starter.FromBlobEventAsync("dam/once.mp4")));
        var started = deliveries.SelectMany(d => d).ToList();
        var (result, _) = await Engine.CompletionAsync(started.Single(s => s.Outcome == StartOutcome.Started).JobId!);
        var afterwards = await starter.FromBlobEventAsync("dam/once.mp4");

        Assert.Single(started, s => s.Outcome == StartOutcome.Started);
        Assert.Equal(4, started.Count(s => s.Outcome == StartOutcome.AlreadyExists));
        Assert.Single(started.Select(s => s.JobId).Distinct());
        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal(1, activities.Count(ActivityNames.Deliver));
        // Delivered again after the job finished: still nothing new (the scripted archive leaves the file in place).
        Assert.All(afterwards, s => Assert.Equal(StartOutcome.AlreadyExists, s.Outcome));
    }

    [Fact]
    public async Task A_file_refused_at_intake_moves_to_failed_with_the_reason()
    {
        var (staging, starter, activities) = await SetUpAsync();
        await staging.Staging.GetBlobClient("dam/bad.mp4").UploadAsync(BinaryData.FromBytes(new byte[10]), overwrite: true);
        var sidecar = Encoding.UTF8.GetBytes("{\"titel\":\"typo\"}");
        await staging.Staging.GetBlobClient("dam/bad.mp4.upload.json").UploadAsync(BinaryData.FromBytes(sidecar), overwrite: true);

        var outcome = Assert.Single(await starter.FromBlobEventAsync("dam/bad.mp4"));

        Assert.Equal(StartOutcome.Rejected, outcome.Outcome);
        Assert.Contains("unknown field 'titel'", outcome.Reason, StringComparison.Ordinal);
        Assert.Empty(activities.Calls);
        Assert.False(await staging.Staging.GetBlobClient("dam/bad.mp4").ExistsAsync());
        Assert.True(await staging.Failed.GetBlobClient("dam/bad.mp4").ExistsAsync());
        var report = staging.Failed.GetBlobClient("dam/bad.mp4.error.json");
        await using var stream = (await report.DownloadStreamingAsync()).Value.Content;
        using var json = JsonDocument.Parse(await TestData.ReadAllAsync(stream));
        Assert.Equal(UploadStarter.IntakeStep, json.RootElement.GetProperty("step").GetString());
        Assert.Contains("unknown field 'titel'", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private async Task<(StagingAccount Staging, UploadStarter Starter, ScriptedActivities Activities)> SetUpAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var options = new IntakeOptions
        {
            Staging = new StagingOptions
            {
                ConnectionString = emulators.Local.BlobConnectionString,
                Container = "staging-" + suffix,
                ProcessedContainer = "processed-" + suffix,
                FailedContainer = "failed-" + suffix,
            },
            Routes = [new RouteOptions { Prefix = "dam/", Vendors = ["mediavalet"] }],
        };
        var staging = new StagingAccount(options.Staging);
        await staging.Staging.CreateIfNotExistsAsync();
        var intake = new UploadIntake(staging.Staging, options, ["mediavalet"], new WorkflowSettings { Retry = WorkflowRetryOptions.Fast() });
        return (staging, new UploadStarter(intake, new DurableStarter(Engine.Client), new ArchiveActivity(new ServiceCollection().AddSingleton(staging).BuildServiceProvider(), new JobDocuments(new BlobJobStore(staging.Jobs)), TimeProvider.System)), _activities);
    }
}
