using System.Collections.Concurrent;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask.Client;

namespace FunctionsUploader.Tests.Workflow;

/// <summary>The upload orchestration on the real Durable engine (DurableTaskTestHost), its activities scripted.</summary>
public sealed class UploadWorkflowTests
{
    private readonly ScriptedActivities _activities = new();

    [Fact]
    public async Task A_job_started_before_the_Finish_activity_runs_every_step_in_its_own_activity_in_order()
    {
        // Workflow version 0: how a job in flight during the upgrade replays.
        var (result, status) = await RunAsync(ScriptedActivities.Job());

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal("processed/x", result.ArchivedTo);
        Assert.Equal("asset-1", result.VendorAssetId);
        Assert.Equal(1000, result.Bytes);
        var steps = _activities.Calls.Where(c => !c.StartsWith(ActivityNames.CopyBatch, StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [ActivityNames.Prepare, ActivityNames.Commit, ActivityNames.SetMetadata, ActivityNames.SetCategories, ActivityNames.SetStatus, ActivityNames.CheckProcessing, ActivityNames.Archive],
            steps);
        Assert.Equal(5, _activities.Count(ActivityNames.CopyBatch));
        Assert.Equal(UploadPhase.Completed, status.Phase);
        Assert.Equal(1000, status.BytesDone);
        Assert.Equal(10, status.PartsDone);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task A_job_of_the_current_version_runs_everything_after_the_commit_in_one_Finish_activity()
    {
        var (result, status) = await RunAsync(ScriptedActivities.Job(version: UploadJob.CurrentWorkflowVersion));

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal("processed/together", result.ArchivedTo);
        Assert.Equal(
            [ActivityNames.Deliver, ActivityNames.Commit, ActivityNames.Finish],
            _activities.Calls.Where(c => !c.StartsWith(ActivityNames.CopyBatch, StringComparison.Ordinal)));
        Assert.Equal(UploadPhase.Completed, status.Phase);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task A_job_of_one_batch_runs_whole_in_the_Deliver_activity_when_nothing_fails()
    {
        _activities.Deliver = _ => new PreparedUpload(100, 4, 1, true, "asset-1", false, "md5")
        {
            Copied = new BatchCopied(0, 4, 100) { Committed = new Committed("asset-9", "md9") },
            Finished = new FinishOutcome(3, [], new ProcessingCheck(true, false, "ready"), new Archived("processed/delivered")),
        };

        var (result, status) = await RunAsync(ScriptedActivities.Job(version: UploadJob.CurrentWorkflowVersion));

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal([ActivityNames.Deliver], _activities.Calls);
        Assert.Equal(("asset-9", "md9", "processed/delivered", 100L), (result.VendorAssetId, result.DestinationMd5, result.ArchivedTo, result.Bytes));
        Assert.Equal((UploadPhase.Completed, 100L, 4, "asset-9"), (status.Phase, status.BytesDone, status.PartsDone, status.VendorAssetId));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task What_Deliver_hands_back_runs_as_its_own_activities_from_the_step_where_it_stopped()
    {
        var copied = new BatchCopied(0, 4, 100);
        var committed = copied with { Committed = new Committed("asset-9", "md9") };
        const string refused = "Delivered; SetCategories was not applied: 400 unknown category";
        var cases = new (string Stopped, BatchCopied? Copied, FinishOutcome? Finished, string[] Calls)[]
        {
            ("copy", null, null, [ActivityNames.Deliver, $"{ActivityNames.CopyBatch}:0", ActivityNames.Finish]),
            ("commit", copied, null, [ActivityNames.Deliver, ActivityNames.Commit, ActivityNames.Finish]),
            ("finish", committed, null, [ActivityNames.Deliver, ActivityNames.Finish]),
            ("status", committed, new FinishOutcome(2, [refused], null, null), [ActivityNames.Deliver, ActivityNames.SetStatus, ActivityNames.CheckProcessing, ActivityNames.Archive]),
        };
        foreach (var (stopped, copy, finished, calls) in cases)
        {
            var activities = new ScriptedActivities
            {
                Deliver = _ => new PreparedUpload(100, 4, 1, true, "asset-1", false, "md5") { Copied = copy, Finished = finished },
                CopyBatch = r => Task.FromResult(new BatchCopied(r.Batch, 4, 100) { Committed = r.ThenCommit ? new Committed("asset-9", "md9") : null }),
                Commit = _ => new Committed("asset-9", "md9"),
            };
            await using var host = await DurableHost.StartAsync(activities.Register);

            var (result, status) = await host.RunAsync(ScriptedActivities.Job($"job-stopped-at-{stopped}", version: UploadJob.CurrentWorkflowVersion));

            Assert.True(result.Outcome == UploadOutcome.Completed, $"{stopped}: {result.Failure?.Reason}");
            Assert.Equal(calls, activities.Calls);
            Assert.Equal(("asset-9", 100L, 4), (result.VendorAssetId, status.BytesDone, status.PartsDone));
            Assert.Equal(stopped == "status" ? [refused] : [], result.Warnings);
        }
    }

    [Fact]
    public async Task A_Deliver_that_fails_is_reported_as_the_Prepare_step_and_archives_without_compensating()
    {
        _activities.Deliver = _ => throw new PermanentFailureException("staging/clip.mp4 is 0 bytes; Picovico refuses empty files");

        var (result, _) = await RunAsync(ScriptedActivities.Job(version: UploadJob.CurrentWorkflowVersion));

        Assert.Equal(UploadOutcome.Failed, result.Outcome);
        Assert.Equal((ActivityNames.Prepare, "staging/clip.mp4 is 0 bytes; Picovico refuses empty files"), (result.Failure!.Step, result.Failure.Reason));
        Assert.Equal([ActivityNames.Deliver, ActivityNames.Archive], _activities.Calls);
    }

    [Fact]
    public async Task A_batch_Deliver_hands_back_commits_in_its_own_activity_and_a_commit_it_left_runs_as_Commit()
    {
        foreach (var commitsWithBatch in new[] { true, false })
        {
            var activities = new ScriptedActivities
            {
                Prepare = _ => new PreparedUpload(100, 4, 1, true, "asset-1", false, "md5"),
                CopyBatch = r => Task.FromResult(new BatchCopied(r.Batch, 4, 100)
                {
                    Committed = r.ThenCommit && commitsWithBatch ? new Committed("asset-9", "md5") : null,
                }),
            };
            await using var host = await DurableHost.StartAsync(activities.Register);

            var (result, _) = await host.RunAsync(ScriptedActivities.Job($"job-one-batch-{commitsWithBatch}", version: UploadJob.CurrentWorkflowVersion));

            Assert.Equal(UploadOutcome.Completed, result.Outcome);
            Assert.Equal(commitsWithBatch ? "asset-9" : "asset-1", result.VendorAssetId);
            Assert.Equal(
                commitsWithBatch ? [ActivityNames.Deliver, $"{ActivityNames.CopyBatch}:0", ActivityNames.Finish] : [ActivityNames.Deliver, $"{ActivityNames.CopyBatch}:0", ActivityNames.Commit, ActivityNames.Finish],
                activities.Calls);
        }
    }

    [Fact]
    public async Task Batches_of_a_job_with_several_never_commit_and_jobs_started_before_never_ask_them_to()
    {
        var asked = new ConcurrentBag<bool>();
        _activities.CopyBatch = r =>
        {
            asked.Add(r.ThenCommit);
            return Task.FromResult(new BatchCopied(r.Batch, 2, 200));
        };
        _activities.Prepare = _ => new PreparedUpload(100, 4, 1, true, "asset-1", false, "md5");
        await RunAsync(ScriptedActivities.Job("job-version-0"));
        _activities.Prepare = _ => new PreparedUpload(1000, 10, 5, true, "asset-1", false, "md5");
        await RunAsync(ScriptedActivities.Job("job-five-batches", version: UploadJob.CurrentWorkflowVersion));

        Assert.Equal(6, asked.Count);
        Assert.DoesNotContain(true, asked);
        Assert.Equal(2, _activities.Count(ActivityNames.Commit));
    }

    [Fact]
    public async Task Finish_hands_back_at_a_step_that_failed_and_the_orchestration_runs_that_step_and_the_rest_on_their_own()
    {
        _activities.FinishTogether = _ => new FinishOutcome(1, ["Delivered; SetMetadata was not applied: 422 no such field"], null, null);

        var (result, status) = await RunAsync(ScriptedActivities.Job(version: UploadJob.CurrentWorkflowVersion));

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal("processed/x", result.ArchivedTo);
        Assert.Equal(
            [ActivityNames.Deliver, ActivityNames.Commit, ActivityNames.Finish, ActivityNames.SetCategories, ActivityNames.SetStatus, ActivityNames.CheckProcessing, ActivityNames.Archive],
            _activities.Calls.Where(c => !c.StartsWith(ActivityNames.CopyBatch, StringComparison.Ordinal)));
        Assert.Equal(["Delivered; SetMetadata was not applied: 422 no such field"], result.Warnings);
        Assert.Equal(result.Warnings, status.Warnings);
    }

    [Fact]
    public async Task A_Finish_activity_that_fails_leaves_every_step_to_its_own_activity_and_a_pending_check_to_the_timers()
    {
        var finishes = 0;
        _activities.FinishTogether = _ => Interlocked.Increment(ref finishes) == 1
            ? throw new IOException("the job store did not answer")
            : throw new InvalidOperationException("Finish must not be retried");
        _activities.CheckProcessing = n => new ProcessingCheck(n >= 2, false, n >= 2 ? "ready" : "processing");

        var (result, _) = await RunAsync(ScriptedActivities.Job(version: UploadJob.CurrentWorkflowVersion));

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal(1, finishes);
        Assert.Equal(
            [ActivityNames.Deliver, ActivityNames.Commit, ActivityNames.Finish, ActivityNames.SetMetadata, ActivityNames.SetCategories, ActivityNames.SetStatus, ActivityNames.CheckProcessing, ActivityNames.CheckProcessing, ActivityNames.Archive],
            _activities.Calls.Where(c => !c.StartsWith(ActivityNames.CopyBatch, StringComparison.Ordinal)));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task Processing_still_running_after_Finish_is_polled_on_timers_and_the_source_archived_after_it()
    {
        _activities.FinishTogether = _ => new FinishOutcome(3, [], new ProcessingCheck(false, false, "processing"), null);
        _activities.CheckProcessing = _ => new ProcessingCheck(true, true, "the codec is not supported");

        var (result, _) = await RunAsync(ScriptedActivities.Job(version: UploadJob.CurrentWorkflowVersion));

        // The first poll after Finish is the orchestration's: the vendor says it failed, so the source goes to failed/.
        Assert.Equal(UploadOutcome.Failed, result.Outcome);
        Assert.Equal("failed/x", result.ArchivedTo);
        Assert.Equal(
            [ActivityNames.Deliver, ActivityNames.Commit, ActivityNames.Finish, ActivityNames.CheckProcessing, ActivityNames.Archive],
            _activities.Calls.Where(c => !c.StartsWith(ActivityNames.CopyBatch, StringComparison.Ordinal)));
        Assert.Equal("The vendor failed to process the file: the codec is not supported", result.Failure?.Reason);
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

        var (result, _) = await RunAsync(ScriptedActivities.Job(settings: new WorkflowSettings { CopyWindow = 3, Retry = WorkflowRetryOptions.Fast() }));

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
            await using var host = await DurableHost.StartAsync(activities.Register);

            await host.RunAsync(ScriptedActivities.Job(settings: new WorkflowSettings { CopyWindow = window, Retry = WorkflowRetryOptions.Fast() }));

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

        var (result, _) = await RunAsync(ScriptedActivities.Job());

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal("asset-9", result.VendorAssetId);
        Assert.Equal(3, _activities.Count(ActivityNames.Commit));
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_compensates_and_archives_to_failed_with_the_reason()
    {
        _activities.CopyBatch = r => r.Batch == 2
            ? throw new PermanentFailureException("Part 5 was refused by the vendor: 400 part too small")
            : Task.FromResult(new BatchCopied(r.Batch, 2, 200));
        ArchiveRequest? archived = null;
        _activities.Archive = r => { archived = r; return new Archived("failed/clip.mp4"); };
        var (result, status) = await RunAsync(ScriptedActivities.Job());

        Assert.Equal(UploadOutcome.Failed, result.Outcome);
        Assert.Equal(ActivityNames.CopyBatch, result.Failure!.Step);
        Assert.True(result.Failure.Permanent);
        Assert.Contains("Part 5 was refused", result.Failure.Reason, StringComparison.Ordinal);
        Assert.Single(_activities.Calls, c => c == $"{ActivityNames.CopyBatch}:2");
        Assert.Equal(1, _activities.Count(ActivityNames.Compensate));
        Assert.Equal(0, _activities.Count(ActivityNames.Commit));
        Assert.Equal(result.Failure, archived!.Failure);
        Assert.Equal("failed/clip.mp4", result.ArchivedTo);
        Assert.Equal(UploadPhase.Failed, status.Phase);
        Assert.Contains("Part 5 was refused", status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_before_the_vendor_session_exists_archives_without_compensating()
    {
        _activities.Prepare = _ => throw new PermanentFailureException("staging/clip.mp4 is 0 bytes; Picovico refuses empty files");

        var (result, _) = await RunAsync(ScriptedActivities.Job());

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

        var (result, status) = await RunAsync(ScriptedActivities.Job());

        Assert.Equal(UploadOutcome.Failed, result.Outcome);
        Assert.Null(result.ArchivedTo);
        Assert.Contains("the source stays in staging: staging is read-only", status.LastError, StringComparison.Ordinal);
        Assert.Equal(1, _activities.Count(ActivityNames.Archive));
    }

    [Fact]
    public async Task A_source_that_cannot_be_archived_after_the_vendor_has_the_file_leaves_the_upload_in_place()
    {
        _activities.Archive = _ => throw new PermanentFailureException("staging/clip.mp4 was replaced after the job started");

        var (result, status) = await RunAsync(ScriptedActivities.Job());

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal("asset-1", result.VendorAssetId);
        Assert.Null(result.ArchivedTo);
        Assert.Equal(0, _activities.Count(ActivityNames.Compensate));
        Assert.Equal(1, _activities.Count(ActivityNames.Archive));
        Assert.Equal(UploadPhase.Completed, status.Phase);
        Assert.Equal(["The source stays in staging: staging/clip.mp4 was replaced after the job started"], result.Warnings);
        Assert.Equal(result.Warnings, status.Warnings);
    }

    [Fact]
    public async Task Processing_is_awaited_on_timers_until_the_vendor_finishes()
    {
        _activities.CheckProcessing = n => new ProcessingCheck(n >= 3, false, $"check {n}");

        var (done, status) = await RunAsync(ScriptedActivities.Job("job-wait"));

        Assert.Equal(UploadOutcome.Completed, done.Outcome);
        Assert.Equal(3, _activities.Count(ActivityNames.CheckProcessing));
        Assert.Empty(done.Warnings);
        Assert.Equal(UploadPhase.Completed, status.Phase);
    }

    [Fact]
    public async Task A_vendor_that_fails_processing_fails_the_job_but_the_delivered_asset_is_not_deleted()
    {
        _activities.CheckProcessing = n => new ProcessingCheck(false, n >= 2, "ProcessingError: codec not supported");
        ArchiveRequest? archived = null;
        _activities.Archive = r => { archived = r; return new Archived("failed/x"); };

        var (failed, _) = await RunAsync(ScriptedActivities.Job("job-fail"));

        Assert.Equal(UploadOutcome.Failed, failed.Outcome);
        Assert.Equal(ActivityNames.CheckProcessing, failed.Failure!.Step);
        Assert.Contains("codec not supported", failed.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal("asset-1", failed.VendorAssetId);
        Assert.Equal(0, _activities.Count(ActivityNames.Compensate));
        Assert.Equal(failed.Failure, archived!.Failure);
    }

    [Fact]
    public async Task Processing_never_confirmed_ends_completed_with_a_warning_and_nothing_undone()
    {
        _activities.CheckProcessing = n => new ProcessingCheck(false, false, $"status 'encoding' (poll {n})");
        var settings = new WorkflowSettings { Retry = WorkflowRetryOptions.Fast(), ProcessingPollInterval = TimeSpan.FromMilliseconds(20), ProcessingTimeout = TimeSpan.FromMilliseconds(300) };

        var (result, status) = await RunAsync(ScriptedActivities.Job("job-unconfirmed", settings));

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal("asset-1", result.VendorAssetId);
        Assert.Equal("processed/x", result.ArchivedTo);
        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith("Delivered; processing not confirmed after 00:00:00.3000000: status 'encoding'", warning, StringComparison.Ordinal);
        Assert.Equal(result.Warnings, status.Warnings);
        Assert.True(_activities.Count(ActivityNames.CheckProcessing) >= 2);
        Assert.Equal(0, _activities.Count(ActivityNames.Compensate));
    }

    [Fact]
    public async Task A_step_the_vendor_refuses_after_the_commit_ends_completed_with_a_warning_and_nothing_undone()
    {
        _activities.Finish = step => step == ActivityNames.SetStatus ? throw new PermanentFailureException("415 Unsupported Media Type") : new StepOutcome(true);
        _activities.CheckProcessing = _ => throw new IOException("connection reset");
        var settings = new WorkflowSettings { Retry = WorkflowRetryOptions.Fast(), ProcessingPollInterval = TimeSpan.FromMilliseconds(20), ProcessingTimeout = TimeSpan.FromMilliseconds(100) };

        var (result, status) = await RunAsync(ScriptedActivities.Job("job-refused-after-commit", settings));

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal("processed/x", result.ArchivedTo);
        Assert.Equal(1, _activities.Count(ActivityNames.SetStatus));
        Assert.Contains(result.Warnings, w => w == $"Delivered; {ActivityNames.SetStatus} was not applied: 415 Unsupported Media Type");
        Assert.Contains(result.Warnings, w => w.Contains("the vendor did not answer the processing check: connection reset", StringComparison.Ordinal));
        Assert.Equal(UploadPhase.Completed, status.Phase);
        Assert.Equal(0, _activities.Count(ActivityNames.Compensate));
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

        await using var host = await DurableHost.StartAsync(_activities.Register);

        var (result, status) = await host.RunAsync(ScriptedActivities.Job("job-200gb", new WorkflowSettings { CopyWindow = 8, Retry = WorkflowRetryOptions.Fast() }));

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal(batches, _activities.Count(ActivityNames.CopyBatch));
        Assert.Equal(size, status.BytesDone);
        var slices = await host.Client.GetAllInstancesAsync(new OrchestrationQuery(InstanceIdPrefix: UploadOrchestrator.TransferInstancePrefix("job-200gb"))).ToListAsync();
        Assert.Equal((batches + 199) / 200, slices.Count); // no history holds more than 200 batches (about 400 task events)
        Assert.All(slices, s => Assert.Equal(OrchestrationRuntimeStatus.Completed, s.RuntimeStatus));
    }

    [Fact]
    public async Task A_permanent_failure_inside_a_transfer_slice_reaches_the_job_as_permanent()
    {
        _activities.Prepare = _ => new PreparedUpload(1200, 12, 12, true, "sliced", false, null);
        _activities.CopyBatch = r => r.Batch == 6
            ? throw new PermanentFailureException("Part 7 was refused by the vendor: 400 part too small")
            : Task.FromResult(new BatchCopied(r.Batch, 1, 100));

        var (result, _) = await RunAsync(ScriptedActivities.Job("job-sliced", new WorkflowSettings { BatchesPerSubOrchestration = 4, Retry = WorkflowRetryOptions.Fast() }));

        Assert.Equal(UploadOutcome.Failed, result.Outcome);
        Assert.Equal(ActivityNames.CopyBatch, result.Failure!.Step);
        Assert.True(result.Failure.Permanent, "a refusal inside a sub-orchestration is still permanent");
        Assert.Contains("Part 7 was refused", result.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal(1, _activities.Count($"{ActivityNames.CopyBatch}:6"));
        Assert.Equal(0, _activities.Count($"{ActivityNames.CopyBatch}:8"));
        Assert.Equal(1, _activities.Count(ActivityNames.Compensate));
    }

    private async Task<(UploadResult Result, UploadStatus Status)> RunAsync(UploadJob job)
    {
        await using var host = await DurableHost.StartAsync(_activities.Register);
        return await host.RunAsync(job);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
