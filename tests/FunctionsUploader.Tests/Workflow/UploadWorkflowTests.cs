using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Workflow;
using FunctionsUploader.Workflow.InProcess;

namespace FunctionsUploader.Tests.Workflow;

public sealed class UploadWorkflowTests : IDisposable
{
    private readonly string _journals = Directory.CreateTempSubdirectory("functionsuploader-journal-").FullName;
    private readonly ScriptedActivities _activities = new();

    public void Dispose() => Directory.Delete(_journals, recursive: true);

    [Fact]
    public async Task Runs_every_step_in_order_and_ends_completed_with_the_source_archived()
    {
        var statuses = new List<UploadStatus>();

        var result = await Runner().RunAsync(ScriptedActivities.Job(), s => { lock (statuses) { statuses.Add(s); } });

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal("processed/x", result.ArchivedTo);
        Assert.Equal("asset-1", result.VendorAssetId);
        Assert.Equal(1000, result.Bytes);
        var steps = _activities.Calls.Where(c => !c.StartsWith(ActivityNames.CopyBatch, StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [ActivityNames.Prepare, ActivityNames.Commit, ActivityNames.SetMetadata, ActivityNames.SetCategories, ActivityNames.SetStatus, ActivityNames.CheckProcessing, ActivityNames.Archive],
            steps);
        Assert.Equal(5, _activities.Count(ActivityNames.CopyBatch));
        Assert.Equal(UploadPhase.Completed, statuses[^1].Phase);
        Assert.Equal(1000, statuses[^1].BytesDone);
        Assert.Equal(10, statuses[^1].PartsDone);
        await VerifyReplaysAsync();
    }

    [Fact]
    public async Task The_copy_window_slides_instead_of_running_in_waves()
    {
        var slowBatch = new TaskCompletionSource();
        var finishedWhileBatchZeroRan = 0;
        _activities.Prepare = _ => new PreparedUpload(100, 10, 10, true, null, false, null);
        _activities.CopyBatch = async r =>
        {
            if (r.Batch == 0)
            {
                // Waves would never let the other nine through: then this wait ends the batch, and the job, in failure.
                await slowBatch.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            else if (Interlocked.Increment(ref finishedWhileBatchZeroRan) == 9)
            {
                slowBatch.SetResult(); // Every other batch got through while batch 0 held one slot of the window.
            }

            return new BatchCopied(r.Batch, 1, 10);
        };

        var result = await Runner().RunAsync(ScriptedActivities.Job(settings: new WorkflowSettings { CopyWindow = 3, Retry = WorkflowRetryOptions.Fast() }));

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal(9, finishedWhileBatchZeroRan);
    }

    [Fact]
    public async Task Never_more_batches_in_flight_than_the_window_and_one_at_a_time_for_sequential_vendors()
    {
        foreach (var (parallel, window, expected) in new[] { (true, 3, 3), (false, 3, 1) })
        {
            var inFlight = 0;
            var most = 0;
            var activities = new ScriptedActivities
            {
                Prepare = _ => new PreparedUpload(100, 12, 12, parallel, null, false, null),
                CopyBatch = async r =>
                {
                    var now = Interlocked.Increment(ref inFlight);
                    InterlockedMax(ref most, now);
                    await Task.Yield();
                    await Task.Delay(5);
                    Interlocked.Decrement(ref inFlight);
                    return new BatchCopied(r.Batch, 1, 1);
                },
            };
            var runner = new InProcessRunner(new EmptyServices(), activities.Registrations(), Path.Combine(_journals, parallel.ToString()));

            await runner.RunAsync(ScriptedActivities.Job(settings: new WorkflowSettings { CopyWindow = window, Retry = WorkflowRetryOptions.Fast() }));

            Assert.True(most <= expected, $"parallel={parallel}: {most} in flight, window {expected}");
            if (!parallel)
            {
                Assert.Equal(1, most);
            }
        }
    }

    [Fact]
    public async Task A_transient_failure_is_retried_by_the_policy_and_the_job_completes()
    {
        var failures = 0;
        _activities.Commit = _ => Interlocked.Increment(ref failures) <= 2 ? throw new IOException("connection reset") : new Committed("asset-9", null);

        var result = await Runner().RunAsync(ScriptedActivities.Job());

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal("asset-9", result.VendorAssetId);
        Assert.Equal(3, _activities.Count(ActivityNames.Commit));
        await VerifyReplaysAsync();
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_compensates_and_archives_to_failed_with_the_reason()
    {
        _activities.CopyBatch = r => r.Batch == 2
            ? throw new PermanentFailureException("Part 5 was refused by the vendor: 400 part too small")
            : Task.FromResult(new BatchCopied(r.Batch, 2, 200));
        ArchiveRequest? archived = null;
        _activities.Archive = r => { archived = r; return new Archived("failed/clip.mp4"); };
        var statuses = new List<UploadStatus>();

        var result = await Runner().RunAsync(ScriptedActivities.Job(), s => { lock (statuses) { statuses.Add(s); } });

        Assert.Equal(UploadOutcome.Failed, result.Outcome);
        Assert.Equal(ActivityNames.CopyBatch, result.Failure!.Step);
        Assert.True(result.Failure.Permanent);
        Assert.Contains("Part 5 was refused", result.Failure.Reason, StringComparison.Ordinal);
        Assert.Single(_activities.Calls, c => c == $"{ActivityNames.CopyBatch}:2");
        Assert.Equal(1, _activities.Count(ActivityNames.Compensate));
        Assert.Equal(0, _activities.Count(ActivityNames.Commit));
        Assert.Equal(result.Failure, archived!.Failure);
        Assert.Equal("failed/clip.mp4", result.ArchivedTo);
        Assert.Equal(UploadPhase.Failed, statuses[^1].Phase);
        Assert.Contains("Part 5 was refused", statuses[^1].LastError, StringComparison.Ordinal);
        await VerifyReplaysAsync();
    }

    [Fact]
    public async Task A_batch_that_fails_before_the_batches_started_earlier_replays_in_the_order_it_happened()
    {
        // Batch 2 fails at once; batches 0, 1 and 3 end only after its failure is in the journal. A replay that
        // handed back completions in call order instead would schedule batch 4 where the history has Compensate.
        _activities.CopyBatch = async r =>
        {
            if (r.Batch == 2)
            {
                throw new PermanentFailureException("Part 5 was refused by the vendor");
            }

            while (!Runner().OpenJournal("job-1").Entries.Any(e => e.ErrorType is not null))
            {
                await Task.Delay(5);
            }

            return new BatchCopied(r.Batch, 2, 200);
        };

        var result = await Runner().RunAsync(ScriptedActivities.Job());

        Assert.Equal(UploadOutcome.Failed, result.Outcome);
        Assert.Equal(0, _activities.Count($"{ActivityNames.CopyBatch}:4"));
        await VerifyReplaysAsync();
    }

    [Fact]
    public async Task Completions_in_any_order_replay_exactly_and_a_resumed_job_picks_up_where_it_stopped()
    {
        // Many jobs whose batches end in a random order, some failing: every history must replay, and every job
        // stopped partway must resume to the outcome of an unstopped twin.
        var random = new Random(20261121);
        for (var job = 0; job < 12; job++)
        {
            var delays = Enumerable.Range(0, 9).Select(_ => random.Next(0, 15)).ToArray();
            var failing = job % 3 == 0 ? random.Next(0, 9) : -1;
            var activities = new ScriptedActivities
            {
                Prepare = _ => new PreparedUpload(900, 9, 9, true, "asset", false, null),
                CopyBatch = async r =>
                {
                    await Task.Delay(delays[r.Batch]);
                    return r.Batch == failing ? throw new PermanentFailureException($"batch {r.Batch} refused") : new BatchCopied(r.Batch, 1, 100);
                },
            };
            var runner = new InProcessRunner(new EmptyServices(), activities.Registrations(), Path.Combine(_journals, $"random{job}"));

            var result = await runner.RunAsync(ScriptedActivities.Job($"job-{job}"));

            Assert.Equal(failing < 0 ? UploadOutcome.Completed : UploadOutcome.Failed, result.Outcome);
            Assert.True(await ReplayChecker.VerifyDirectoryAsync(runner.JournalDirectory) > 0);

            // Cut the history after a random number of completed calls, as a kill would, and resume from there.
            var journal = runner.OpenJournal($"job-{job}");
            var keep = random.Next(1, journal.Entries.Count - 1);
            var cut = Path.Combine(_journals, $"cut{job}");
            Directory.CreateDirectory(cut);
            await File.WriteAllLinesAsync(
                Path.Combine(cut, $"job-{job}.jsonl"),
                File.ReadLines(runner.JournalPath($"job-{job}")).Take(keep));
            var resumed = await new InProcessRunner(new EmptyServices(), activities.Registrations(), cut).RunAsync(ScriptedActivities.Job($"job-{job}"));

            Assert.Equal(result.Outcome, resumed.Outcome);
            Assert.Equal(result.Failure, resumed.Failure);
            Assert.True(await ReplayChecker.VerifyDirectoryAsync(cut) > 0);
        }
    }

    [Fact]
    public async Task A_failure_before_the_vendor_session_exists_archives_without_compensating()
    {
        _activities.Prepare = _ => throw new PermanentFailureException("staging/clip.mp4 is 0 bytes; Picovico refuses empty files");

        var result = await Runner().RunAsync(ScriptedActivities.Job());

        Assert.Equal(UploadOutcome.Failed, result.Outcome);
        Assert.Equal(ActivityNames.Prepare, result.Failure!.Step);
        Assert.Equal(1, _activities.Count(ActivityNames.Prepare));
        Assert.Equal(0, _activities.Count(ActivityNames.Compensate));
        Assert.Equal(1, _activities.Count(ActivityNames.Archive));
    }

    [Fact]
    public async Task When_archiving_fails_too_the_source_stays_and_the_status_says_why()
    {
        _activities.Commit = _ => throw new PermanentFailureException("vendor refused the commit");
        _activities.Archive = _ => throw new PermanentFailureException("staging is read-only");
        var statuses = new List<UploadStatus>();

        var result = await Runner().RunAsync(ScriptedActivities.Job(), s => { lock (statuses) { statuses.Add(s); } });

        Assert.Equal(UploadOutcome.Failed, result.Outcome);
        Assert.Null(result.ArchivedTo);
        Assert.Contains("the source stays in staging", statuses[^1].LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_that_cannot_be_archived_after_the_vendor_has_the_file_leaves_the_upload_in_place()
    {
        _activities.Archive = _ => throw new PermanentFailureException("staging/clip.mp4 was replaced after the job started");
        var statuses = new List<UploadStatus>();

        var result = await Runner().RunAsync(ScriptedActivities.Job(), s => { lock (statuses) { statuses.Add(s); } });

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal("asset-1", result.VendorAssetId);
        Assert.Null(result.ArchivedTo);
        Assert.Equal(0, _activities.Count(ActivityNames.Compensate));
        Assert.Equal(1, _activities.Count(ActivityNames.Archive));
        Assert.Equal(UploadPhase.Completed, statuses[^1].Phase);
        Assert.Equal("The vendor has the file, but the source stays in staging: staging/clip.mp4 was replaced after the job started", statuses[^1].LastError);
        await VerifyReplaysAsync();
    }

    [Fact]
    public async Task Processing_is_awaited_on_timers_until_the_vendor_finishes_or_fails()
    {
        _activities.CheckProcessing = n => new ProcessingCheck(n >= 3, false, $"check {n}");
        var done = await Runner().RunAsync(ScriptedActivities.Job("job-wait"));
        Assert.Equal(UploadOutcome.Completed, done.Outcome);
        Assert.Equal(3, _activities.Count(ActivityNames.CheckProcessing));
        Assert.Equal(2, Runner().OpenJournal("job-wait").Entries.Count(e => e.Kind == JournalEntry.Timer));

        var failing = new ScriptedActivities { CheckProcessing = n => new ProcessingCheck(false, n >= 2, "ProcessingError: codec not supported") };
        var failed = await new InProcessRunner(new EmptyServices(), failing.Registrations(), Path.Combine(_journals, "f")).RunAsync(ScriptedActivities.Job("job-fail"));
        Assert.Equal(UploadOutcome.Failed, failed.Outcome);
        Assert.Equal(ActivityNames.CheckProcessing, failed.Failure!.Step);
        Assert.Contains("codec not supported", failed.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal(1, failing.Count(ActivityNames.Compensate));
        await VerifyReplaysAsync();
    }

    [Fact]
    public async Task A_stopped_job_resumes_without_redoing_completed_batches()
    {
        using var stop = new CancellationTokenSource();
        _activities.Prepare = _ => new PreparedUpload(100, 8, 8, false, "a", false, null);
        _activities.CopyBatch = r =>
        {
            if (r.Batch == 5)
            {
                stop.Cancel(); // The process "dies" while batch 5 is in flight.
                throw new OperationCanceledException(stop.Token);
            }

            return Task.FromResult(new BatchCopied(r.Batch, 1, 1));
        };
        var job = ScriptedActivities.Job("job-resume");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner().RunAsync(job, cancellationToken: stop.Token));

        _activities.CopyBatch = r => Task.FromResult(new BatchCopied(r.Batch, 1, 1));
        var resumed = Runner();
        var result = await resumed.RunAsync(resumed.FindJob("job-resume")!);

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        for (var batch = 0; batch < 8; batch++)
        {
            var expected = batch == 5 ? 2 : 1; // Only the batch that was in flight runs again.
            Assert.Equal(expected, _activities.Calls.Count(c => c == $"{ActivityNames.CopyBatch}:{batch}"));
        }

        Assert.Equal(1, _activities.Count(ActivityNames.Prepare));
        await VerifyReplaysAsync();
    }

    [Fact]
    public async Task A_finished_job_run_again_returns_its_result_without_calling_anything()
    {
        var first = await Runner().RunAsync(ScriptedActivities.Job("job-twice"));
        var calls = _activities.Calls.Count;

        var second = await Runner().RunAsync(ScriptedActivities.Job("job-twice"));

        Assert.Equal(first, second);
        Assert.Equal(calls, _activities.Calls.Count);
    }

    [Fact]
    public async Task The_replay_checker_catches_a_workflow_that_asks_for_something_else_than_its_history()
    {
        await Runner().RunAsync(ScriptedActivities.Job("job-replay"));
        var journal = Runner().OpenJournal("job-replay");
        var tampered = journal.Entries.Select(e => e.Kind == JournalEntry.Activity && e.Name == ActivityNames.Commit ? e with { Name = ActivityNames.SetMetadata } : e);

        var error = await Assert.ThrowsAsync<NonDeterministicWorkflowException>(() => ReplayChecker.VerifyAsync(Journal.InMemory(tampered)));

        Assert.Contains($"the history has activity '{ActivityNames.SetMetadata}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"asks for activity '{ActivityNames.Commit}'", error.Message, StringComparison.Ordinal);

        var truncated = journal.Entries.Where(e => !(e.Kind == JournalEntry.Activity && e.Name == ActivityNames.Archive));
        var missing = await Assert.ThrowsAsync<NonDeterministicWorkflowException>(() => ReplayChecker.VerifyAsync(Journal.InMemory(truncated)));
        Assert.Contains("the history ends before it", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_200_GB_plan_keeps_every_history_under_a_thousand_events()
    {
        // 200 GB in 200 MiB batches: about 954 batches, split into sub-orchestrations of 200.
        const long size = 200L * 1000 * 1000 * 1000;
        const long batchBytes = 200L * 1024 * 1024;
        var batches = (int)((size + batchBytes - 1) / batchBytes);
        _activities.Prepare = _ => new PreparedUpload(size, batches * 40, batches, true, "big", false, null);
        _activities.CopyBatch = r => Task.FromResult(new BatchCopied(r.Batch, 40, Math.Min(batchBytes, size - (r.Batch * batchBytes))));

        var result = await Runner().RunAsync(ScriptedActivities.Job("job-200gb", new WorkflowSettings { CopyWindow = 8, Retry = WorkflowRetryOptions.Fast() }));

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal(batches, _activities.Count(ActivityNames.CopyBatch));
        var histories = Directory.GetFiles(_journals, "job-200gb*.jsonl").Select(Journal.Open).ToList();
        Assert.True(histories.Count > 1, "a 200 GB file runs its transfer in sub-orchestrations");
        foreach (var history in histories)
        {
            // Durable records each call as scheduled + completed, plus start and end of the instance.
            var events = (history.Entries.Count(e => e.Sequence >= 0) * 2) + 2;
            Assert.True(events < 1000, $"{events} events in one history");
        }

        await VerifyReplaysAsync();
    }

    [Fact]
    public async Task A_permanent_failure_inside_a_transfer_slice_reaches_the_job_as_permanent()
    {
        _activities.Prepare = _ => new PreparedUpload(1200, 12, 12, true, "sliced", false, null);
        _activities.CopyBatch = r => r.Batch == 6
            ? throw new PermanentFailureException("Part 7 was refused by the vendor: 400 part too small")
            : Task.FromResult(new BatchCopied(r.Batch, 1, 100));

        var result = await Runner().RunAsync(ScriptedActivities.Job("job-sliced", new WorkflowSettings { BatchesPerSubOrchestration = 4, Retry = WorkflowRetryOptions.Fast() }));

        Assert.Equal(UploadOutcome.Failed, result.Outcome);
        Assert.Equal(ActivityNames.CopyBatch, result.Failure!.Step);
        Assert.True(result.Failure.Permanent, "a refusal inside a sub-orchestration is still permanent");
        Assert.Contains("Part 7 was refused", result.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal(1, _activities.Count($"{ActivityNames.CopyBatch}:6"));
        Assert.Equal(0, _activities.Count($"{ActivityNames.CopyBatch}:8"));
        Assert.Equal(1, _activities.Count(ActivityNames.Compensate));
        await VerifyReplaysAsync();
    }

    private InProcessRunner Runner() => new(new EmptyServices(), _activities.Registrations(), _journals);

    private async Task VerifyReplaysAsync() => Assert.True(await ReplayChecker.VerifyDirectoryAsync(_journals) > 0);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
