using FunctionsUploader.Simulators;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Tests.Transfer;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Vendors.Prepr;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Tests.Vendors.Prepr;

public sealed class PreprConnectorTests(Simulator simulator) : IClassFixture<Simulator>
{
    private const int Chunk = 1024 * 1024;

    /// <summary>2.5 chunks: the last chunk is short, every boundary is crossed.</summary>
    private static readonly byte[] Video = TestData.Bytes(5 * Chunk / 2, seed: 3201);

    [Fact]
    public async Task A_staging_blob_goes_up_in_chunks_and_prepr_ends_with_its_bytes_name_body_author_and_tags()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        var connector = SimulatedConnectors.Prepr(simulator, tenant);
        var details = new UploadDetails
        {
            Title = "Launch film",
            Description = "Final cut, 25 fps",
            Categories = ["launch", "product", "launch"],
            Metadata = new Dictionary<string, string> { ["Author"] = "Ann Smith", ["camera"] = "A7" },
            Status = "published",
        };
        var opening = ConnectorRun.Opening("launch.mp4", Video.Length, details);

        var run = await ConnectorRun.AllStepsAsync(connector, await StagedAsync(Video), opening);

        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, run.Session.AssetId!);
        Assert.Equal(TestData.Md5Hex(Video), report.Md5);
        Assert.Equal(Video.Length, report.Size);
        Assert.Equal("launch.mp4", report.FileName);
        Assert.Equal("processed", report.Status);
        Assert.Equal("Launch film", report.Metadata["name"]);
        Assert.Equal("Final cut, 25 fps", report.Metadata["body"]);
        Assert.Equal("Ann Smith", report.Metadata["author"]);
        Assert.Equal(opening.JobId, report.Metadata["reference_id"]);
        Assert.Equal(["launch", "product"], report.Keywords);
        Assert.Empty(report.Categories);
        Assert.Equal(3, ConnectorRun.Count(report.Requests, "transfer", 200));
        Assert.Equal(1, ConnectorRun.Count(report.Requests, "finish", 200));
        Assert.Equal(run.Session.AssetId, run.Commit!.VendorAssetId);
        Assert.Equal(new StepOutcome(true, "Prepr assets have no field for camera: not set."), run.Metadata);
        Assert.True(run.Categories.Applied);
        Assert.False(run.Status.Applied);
        Assert.Contains("'published' was not set", run.Status.Note, StringComparison.Ordinal);
        Assert.Equal(new ProcessingCheck(true, false, null), run.Processing);
    }

    [Fact]
    public async Task Each_chunk_goes_once_and_finish_once_though_every_reply_shows_the_last_range()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        var connector = SimulatedConnectors.Prepr(simulator, tenant);

        var run = await ConnectorRun.AllStepsAsync(connector, await StagedAsync(Video), ConnectorRun.Opening("echo.mp4", Video.Length));

        // Before: the last range, echoed in the reply, was taken for the next one and sent again (400, more than file_size).
        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, run.Session.AssetId!);
        Assert.Equal(TestData.Md5Hex(Video), report.Md5);
        Assert.Equal([200, 200, 200], ConnectorRun.Statuses(report.Requests, "transfer"));
        Assert.Equal([200], ConnectorRun.Statuses(report.Requests, "finish"));
        Assert.Equal("processed", report.Status);
    }

    [Theory]
    [InlineData("poster café #1.png", "Photo")]
    [InlineData("報告書 2026.pdf", "Document")]
    [InlineData("interview ü.mp3", "Audio")]
    public async Task Images_documents_and_audio_go_whole_as_source_and_keep_their_name(string fileName, string label)
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Prepr(simulator, tenant);
        var data = TestData.Bytes(200_000, seed: 3203);
        var details = new UploadDetails { Title = "Still", Description = "From the shoot" };

        var run = await ConnectorRun.AllStepsAsync(connector, await StagedAsync(data), ConnectorRun.Opening(fileName, data.Length, details, "application/octet-stream"));

        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, run.Commit!.VendorAssetId);
        Assert.Equal(TestData.Md5Hex(data), report.Md5);
        Assert.Equal(fileName, report.FileName);
        Assert.Equal("Still", report.Metadata["name"]);
        Assert.Equal("From the shoot", report.Metadata["body"]);
        Assert.Equal(1, ConnectorRun.Count(report.Requests, "uploadAsset", 201));
        Assert.Equal(0, ConnectorRun.Count(await simulator.RequestsAsync(tenant), "createAsset"));
        Assert.Equal(run.Commit.VendorAssetId, run.Session.AssetId);
        Assert.Equal(label, (await new FunctionsUploader.Tests.Simulators.Clients.PreprTestClient(simulator, tenant).CallAsync(HttpMethod.Get, $"assets/{run.Session.AssetId}")).Text("label"));
        Assert.True(run.Processing.Finished);
    }

    [Theory]
    [InlineData("clip 1 – café 東京 #2.mp4")]
    [InlineData("a b#c.mov")]
    public async Task A_video_name_with_spaces_accents_cjk_and_hash_arrives_byte_for_byte_as_original_name(string fileName)
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        var connector = SimulatedConnectors.Prepr(simulator, tenant);

        var run = await ConnectorRun.AllStepsAsync(connector, await StagedAsync(Video), ConnectorRun.Opening(fileName, Video.Length));

        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, run.Session.AssetId!);
        Assert.Equal(fileName, report.FileName);
        Assert.Equal(TestData.Md5Hex(Video), report.Md5);
    }

    [Theory]
    [InlineData("setup.exe")]
    [InlineData("no-extension")]
    public async Task What_prepr_cannot_take_is_refused_by_name_before_any_call(string fileName)
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Prepr(simulator, tenant);

        var reason = connector.CheckAcceptable(fileName, 10);
        var error = await Assert.ThrowsAsync<PermanentFailureException>(() => connector.OpenAsync(ConnectorRun.Opening(fileName, 10)));

        Assert.Contains($"'{fileName}' is none of these", reason, StringComparison.Ordinal);
        Assert.Equal(reason, error.Message);
        Assert.Empty(await simulator.RequestsAsync(tenant));
    }

    [Fact]
    public async Task An_error_inside_a_200_answer_is_read_and_fails_the_call_as_its_status_says()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "updateAsset", status = 422, errorInOkBody = true });
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "finish", status = 400, errorInOkBody = true });
        var connector = SimulatedConnectors.Prepr(simulator, tenant);
        var source = await StagedAsync(Video);
        var opening = ConnectorRun.Opening("inside.mp4", Video.Length);
        var session = await connector.OpenAsync(opening);
        var (plan, receipts) = await ConnectorRun.CopyAsync(connector, session, source);

        var finish = await Assert.ThrowsAsync<VendorApiException>(() => connector.CommitAsync(session, opening, plan, receipts));
        await connector.CommitAsync(session, opening, plan, receipts);
        var update = await Assert.ThrowsAsync<VendorApiException>(() => connector.SetMetadataAsync(session, new UploadDetails { Title = "t" }));

        Assert.Equal(400, finish.Status);
        Assert.False(finish.Retryable);
        Assert.Contains("error inside", finish.Message, StringComparison.Ordinal);
        Assert.Equal(422, update.Status);
        Assert.Contains("Simulated fault", update.Message, StringComparison.Ordinal);
        Assert.Equal([200, 200], ConnectorRun.Statuses(await simulator.RequestsAsync(tenant), "finish"));
    }

    [Fact]
    public async Task Requests_are_paced_by_the_rate_limit_headers_so_a_spent_minute_is_waited_out_not_failed()
    {
        var tenant = simulator.NewTenant(s =>
        {
            s.PreprChunkSize = Chunk;
            s.PreprRateLimitPerMinute = 3;
            s.PreprRateLimitWindow = TimeSpan.FromSeconds(1);
        });
        var connector = SimulatedConnectors.Prepr(simulator, tenant, o => o.RateLimitWindow = TimeSpan.FromSeconds(1.2));

        var run = await ConnectorRun.AllStepsAsync(connector, await StagedAsync(Video), ConnectorRun.Opening("paced.mp4", Video.Length));

        var requests = await simulator.RequestsAsync(tenant);
        Assert.DoesNotContain(requests, r => r.Status == 429);
        Assert.True(requests.Count > 3);
        Assert.Equal(TestData.Md5Hex(Video), (await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, run.Session.AssetId!)).Md5);
    }

    [Fact]
    public async Task Processing_that_never_confirms_is_neither_finished_nor_failed_and_says_what_it_saw()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "finish", stallProcessing = true });
        var connector = SimulatedConnectors.Prepr(simulator, tenant);

        var run = await ConnectorRun.AllStepsAsync(connector, await StagedAsync(Video), ConnectorRun.Opening("stuck.mp4", Video.Length));

        Assert.False(run.Processing.Finished);
        Assert.False(run.Processing.Failed);
        Assert.Equal($"Prepr asset {run.Session.AssetId} has no cdn_files yet (status null).", run.Processing.Message);
    }

    [Fact]
    public async Task A_chunk_whose_answer_was_lost_is_not_sent_again_the_next_one_starts_at_the_servers_offset()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "transfer", nth = 2, dropResponse = true });
        var connector = SimulatedConnectors.Prepr(simulator, tenant);

        var run = await ConnectorRun.AllStepsAsync(connector, await StagedAsync(Video), ConnectorRun.Opening("lost.mp4", Video.Length));

        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, run.Session.AssetId!);
        Assert.Equal(TestData.Md5Hex(Video), report.Md5);
        Assert.Equal(3, ConnectorRun.Count(report.Requests, "transfer"));
        Assert.Equal(1, ConnectorRun.Count(report.Requests, "transfer", 0));
        Assert.True(run.Processing.Finished);
    }

    [Fact]
    public async Task A_refused_chunk_fails_clearly_and_a_rerun_resumes_from_the_servers_offset_without_resending()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "transfer", nth = 2, status = 400 });
        var connector = SimulatedConnectors.Prepr(simulator, tenant);
        var source = await StagedAsync(Video);
        var opening = ConnectorRun.Opening("refused.mp4", Video.Length);
        var session = await connector.OpenAsync(opening);

        var error = await Assert.ThrowsAsync<PartTransferException>(() => ConnectorRun.CopyAsync(connector, session, source));
        var (plan, receipts) = await ConnectorRun.CopyAsync(connector, session, source);
        await connector.CommitAsync(session, opening, plan, receipts);

        Assert.Equal(2, error.PartNumber);
        Assert.False(error.IsTransient);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.Contains("Simulated fault", error.Message, StringComparison.Ordinal);
        Assert.Null(receipts[0].Md5Hex); // held by the server: skipped, not resent
        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, session.AssetId!);
        Assert.Equal(TestData.Md5Hex(Video), report.Md5);
        Assert.Equal(3, ConnectorRun.Count(report.Requests, "transfer", 200));
    }

    [Fact]
    public async Task A_refused_access_token_is_a_credentials_failure_naming_prepr_and_is_not_retried()
    {
        var tenant = simulator.NewTenant();
        var wrongToken = SimulatedConnectors.Prepr(simulator, tenant, o => o.AccessToken = "not-the-token-7f3e");
        // A token without the assets scope: Prepr knows the caller and still answers 401.
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "createAsset", status = 401, times = 0 });
        var missingScope = SimulatedConnectors.Prepr(simulator, tenant);

        var wrong = await Assert.ThrowsAsync<VendorApiException>(() => wrongToken.OpenAsync(ConnectorRun.Opening("a.mp4", 10)));
        var refused = await Assert.ThrowsAsync<VendorApiException>(() => missingScope.OpenAsync(ConnectorRun.Opening("a.mp4", 10)));

        ConnectorRun.AssertCredentialsRefused(wrong, "Prepr start of the video upload", 401, "not-the-token-7f3e");
        ConnectorRun.AssertCredentialsRefused(refused, "Prepr start of the video upload", 401, tenant.Credentials.Prepr.AccessToken);
        Assert.Equal(1, ConnectorRun.Count(await simulator.RequestsAsync(tenant), "createAsset"));
    }

    [Fact]
    public async Task A_429_is_waited_out_and_the_start_then_succeeds()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "createAsset", status = 429 });
        var connector = SimulatedConnectors.Prepr(simulator, tenant);

        var session = await connector.OpenAsync(ConnectorRun.Opening("busy.mp4", 10));

        Assert.Equal([429, 201], ConnectorRun.Statuses(await simulator.RequestsAsync(tenant), "createAsset"));
        Assert.NotNull(session.AssetId);
    }

    [Fact]
    public async Task Encoding_that_fails_is_reported_as_failed_with_a_message()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "finish", failProcessing = true });
        var connector = SimulatedConnectors.Prepr(simulator, tenant);
        var data = TestData.Bytes(1000, seed: 3202);

        var run = await ConnectorRun.AllStepsAsync(connector, await StagedAsync(data), ConnectorRun.Opening("broken.mp4", data.Length));

        Assert.True(run.Processing.Failed);
        Assert.Contains($"Prepr could not process asset {run.Session.AssetId}", run.Processing.Message, StringComparison.Ordinal);
        Assert.Equal("failed", (await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, run.Session.AssetId!)).Status);
    }

    [Fact]
    public async Task Cancel_deletes_the_asset_and_a_second_cancel_finds_it_gone()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Prepr(simulator, tenant);
        var session = await connector.OpenAsync(ConnectorRun.Opening("cancelled.mp4", 10));

        var first = await connector.CancelAsync(session);
        var second = await connector.CancelAsync(session);

        Assert.Equal(new StepOutcome(true, $"Deleted Prepr asset {session.AssetId}."), first);
        Assert.Equal(new StepOutcome(true, $"Prepr asset {session.AssetId} was already gone."), second);
        Assert.Equal("deleted", (await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, session.AssetId!)).Status);
    }

    [Fact]
    public async Task No_log_line_of_a_full_run_nor_the_stored_session_holds_the_access_token()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "transfer", nth = 2, status = 503 });
        var logs = new CapturedLogs();
        string stored;
        using (var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)))
        {
            var connector = SimulatedConnectors.Prepr(simulator, tenant, loggers: loggers);
            var details = new UploadDetails { Title = "Logged", Categories = ["a"] };
            var run = await ConnectorRun.AllStepsAsync(connector, await StagedAsync(Video), ConnectorRun.Opening("logged.mp4", Video.Length, details));
            await connector.CancelAsync(run.Session);
            stored = ConnectorRun.StoredJson(run.Session);
        }

        Assert.Contains(logs.Lines, l => l.Contains("Opened Prepr upload", StringComparison.Ordinal));
        Assert.Empty(ConnectorRun.LinesWithSecrets(logs.Lines, tenant.Credentials.Prepr.AccessToken));
        Assert.Empty(ConnectorRun.LinesWithSecrets([stored], tenant.Credentials.Prepr.AccessToken));
    }

    [Fact]
    public void Empty_files_are_refused_before_anything_opens()
    {
        var connector = new PreprConnector(new PreprOptions { BaseUrl = new Uri("https://api.eu1.prepr.io/"), AccessToken = "t" }, Simulator.Http, Simulator.Http);

        Assert.Contains("it is empty (0 bytes)", connector.CheckAcceptable("empty.mp4", 0), StringComparison.Ordinal);
        Assert.Null(connector.CheckAcceptable("one-byte.mp4", 1));
    }

    private async Task<BlobTransferSource> StagedAsync(byte[] data) =>
        await StagingBlobs.UploadAsync(await simulator.Emulators.NewContainerAsync("prepr"), "staging/video.mp4", data);

    [Fact]
    public async Task A_metadata_step_refused_after_the_finish_fails_that_step_clearly_and_leaves_the_asset_whole()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = Chunk);
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "updateAsset", status = 422, times = 0 });
        var connector = SimulatedConnectors.Prepr(simulator, tenant);
        var opening = ConnectorRun.Opening("kept.mp4", Video.Length);
        var session = await connector.OpenAsync(opening);
        var (plan, receipts) = await ConnectorRun.CopyAsync(connector, session, await StagedAsync(Video));
        var commit = await connector.CommitAsync(session, opening, plan, receipts);

        var refused = await Assert.ThrowsAsync<VendorApiException>(() => connector.SetMetadataAsync(commit.Session, new UploadDetails { Title = "New" }));
        var processing = await ConnectorRun.PollAsync(connector, commit.Session);

        Assert.Equal(422, refused.Status);
        Assert.True(processing.Finished);
        Assert.Equal(TestData.Md5Hex(Video), (await simulator.InspectAsync(tenant, SimulatedVendor.Prepr, commit.VendorAssetId)).Md5);
    }
}
