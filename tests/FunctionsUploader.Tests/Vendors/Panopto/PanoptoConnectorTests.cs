using System.Xml.Linq;
using FunctionsUploader.Simulators;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Tests.Transfer;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Vendors.Panopto;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Tests.Vendors.Panopto;

public sealed class PanoptoConnectorTests(Simulator simulator) : IClassFixture<Simulator>
{
    private const int PartSize = (int)PartRules.S3MinPartSize;

    private static readonly XNamespace Ucs = SessionManifest.Namespace;

    [Fact]
    public async Task A_local_file_goes_up_in_5_MiB_parts_with_a_manifest_and_panopto_completes_the_session()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Panopto(simulator, tenant);
        var video = TestData.Bytes(11 * 1024 * 1024, seed: 3301);
        using var file = LocalSourceFile.Write(video);
        var folder = Guid.NewGuid();
        var details = new UploadDetails
        {
            Title = "Lecture 7: Entropy",
            Description = "Recorded in hall B",
            RecordedAt = new DateTimeOffset(2025, 3, 4, 10, 30, 0, TimeSpan.FromHours(1)),
            Categories = ["physics"],
            Status = "published",
            Folder = folder.ToString(),
        };

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("lecture.mp4", video.Length, details));

        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Panopto, run.Session.AssetId!);
        Assert.Equal("Complete", report.Status);
        Assert.Equal("lecture.mp4", report.FileName);
        Assert.Equal(video.Length, report.Size);
        Assert.Equal(TestData.Md5Hex(video), report.Md5);
        Assert.Equal(folder.ToString(), report.Metadata["FolderId"]);
        Assert.Equal("Lecture 7: Entropy", report.Metadata["Title"]);
        Assert.Equal(["lecture.mp4", SessionManifest.FileName], report.Files.Select(f => f.Name));
        Assert.Equal(3, run.Plan!.PartCount);
        var manifest = await StoredManifestAsync(run.Session);
        Assert.Equal("Recorded in hall B", manifest.Root!.Element(Ucs + "Description")!.Value);
        Assert.Equal("2025-03-04T09:30:00Z", manifest.Root.Element(Ucs + "Date")!.Value);
        var video1 = manifest.Root.Element(Ucs + "Videos")!.Element(Ucs + "Video")!;
        Assert.Equal(["PT0S", "lecture.mp4", "Primary"], new[] { "Start", "File", "Type" }.Select(n => video1.Element(Ucs + n)!.Value));
        Assert.Equal(run.Session.AssetId, run.Commit!.VendorAssetId);
        Assert.False(run.Metadata.Applied);
        Assert.Contains("manifest", run.Metadata.Note, StringComparison.Ordinal);
        Assert.False(run.Categories.Applied);
        Assert.Contains("physics were not set", run.Categories.Note, StringComparison.Ordinal);
        Assert.False(run.Status.Applied);
        Assert.Equal(new ProcessingCheck(true, false, null), run.Processing);
    }

    [Fact]
    public async Task A_title_with_markup_quotes_and_non_ascii_arrives_as_written()
    {
        const string title = "Q&A: <Intro> \"quoted\" 'single' & ]]> — Ünïcødé 日本語 🎓";
        const string description = "<b>not bold</b> &amp; stays text";
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Panopto(simulator, tenant);
        var video = TestData.Bytes(1000, seed: 3302);
        using var file = LocalSourceFile.Write(video);
        var details = new UploadDetails { Title = title, Description = description };

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("q&a <1>.mp4", video.Length, details));

        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Panopto, run.Session.AssetId!);
        Assert.Equal("Complete", report.Status);
        Assert.Equal(title, report.Metadata["Title"]);
        Assert.Equal("q&a <1>.mp4", report.FileName);
        var manifest = await StoredManifestAsync(run.Session);
        Assert.Equal(title, manifest.Root!.Element(Ucs + "Title")!.Value);
        Assert.Equal(description, manifest.Root.Element(Ucs + "Description")!.Value);
    }

    [Fact]
    public async Task Wrong_client_credentials_are_a_credentials_failure_naming_panopto_and_are_not_retried()
    {
        var tenant = simulator.NewTenant();
        var wrongSecret = SimulatedConnectors.Panopto(simulator, tenant, o => o.ClientSecret = "not-the-secret-51ac");
        var wrongPassword = SimulatedConnectors.Panopto(simulator, tenant, o => o.Password = "not-the-password-93bd");

        var secret = await Assert.ThrowsAsync<VendorApiException>(() => wrongSecret.OpenAsync(ConnectorRun.Opening("a.mp4", 10)));
        var password = await Assert.ThrowsAsync<VendorApiException>(() => wrongPassword.OpenAsync(ConnectorRun.Opening("a.mp4", 10)));

        ConnectorRun.AssertCredentialsRefused(secret, "Panopto token request (password grant)", 401, "not-the-secret-51ac");
        Assert.Equal(400, password.Status);
        Assert.False(password.Retryable);
        Assert.Contains("invalid_grant", password.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-93bd", password.ToString(), StringComparison.Ordinal);
        var requests = await simulator.RequestsAsync(tenant);
        Assert.Equal([401, 400], ConnectorRun.Statuses(requests, "token"));
        Assert.Equal(0, ConnectorRun.Count(requests, "createSessionUpload"));
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_and_the_session_upload_then_opens()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "panopto", operation = "createSessionUpload", retryAfterSeconds = 1 });
        var connector = SimulatedConnectors.Panopto(simulator, tenant);

        var session = await connector.OpenAsync(ConnectorRun.Opening("busy.mp4", 10));

        Assert.Equal([429, 201], ConnectorRun.Statuses(await simulator.RequestsAsync(tenant), "createSessionUpload"));
        Assert.NotNull(session.AssetId);
    }

    [Fact]
    public async Task Tokens_refused_mid_upload_with_401_or_403_are_renewed_by_refresh_token_and_the_job_completes()
    {
        var tenant = simulator.NewTenant();
        // The commit reads the session upload (403 once), then PUTs it after the tokens expired (401 once).
        await simulator.AddFaultAsync(tenant, new { vendor = "panopto", operation = "getSessionUpload", status = 403 });
        await simulator.AddFaultAsync(tenant, new { vendor = "panopto", operation = "updateSessionUpload", expireTokens = true });
        var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var connector = SimulatedConnectors.Panopto(simulator, tenant, o => o.Scope = "openid api offline_access", loggers: loggers);
        var video = TestData.Bytes(PartSize + 77, seed: 3303);
        using var file = LocalSourceFile.Write(video);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("renewed.mp4", video.Length));

        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Panopto, run.Session.AssetId!);
        Assert.Equal("Complete", report.Status);
        Assert.Equal(TestData.Md5Hex(video), report.Md5);
        var requests = await simulator.RequestsAsync(tenant);
        Assert.Equal([401, 200], ConnectorRun.Statuses(requests, "updateSessionUpload"));
        Assert.Equal(403, requests.First(r => r.Operation == "getSessionUpload").Status);
        Assert.Equal(3, ConnectorRun.Count(requests, "token", 200));
        Assert.Equal(2, logs.Lines.Count(l => l.Contains("by the refresh_token grant", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Upload_keys_the_target_refuses_fail_the_open_clearly_and_leave_no_session_upload_behind()
    {
        var tenant = simulator.NewTenant();
        var noKeys = SimulatedConnectors.Panopto(simulator, tenant, o => (o.UploadAccessKey, o.UploadSecretKey) = (null, null));

        var error = await Assert.ThrowsAsync<VendorApiException>(() => noKeys.OpenAsync(ConnectorRun.Opening("a.mp4", 10)));

        ConnectorRun.AssertCredentialsRefused(error, "Panopto start of the multipart upload", 403);
        var created = (await simulator.RequestsAsync(tenant)).Single(r => r.Operation == "createSessionUpload");
        Assert.Equal("UploadCancelled", (await simulator.InspectAsync(tenant, SimulatedVendor.Panopto, created.ResourceId!)).Status);
    }

    [Fact]
    public async Task A_part_the_upload_target_refuses_fails_with_its_number_and_the_reason()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Panopto(simulator, tenant);
        var wrongKeys = SimulatedConnectors.Panopto(simulator, tenant, o => o.UploadAccessKey = "UNKNOWNKEY");
        var video = TestData.Bytes(PartSize + 1, seed: 3304);
        using var file = LocalSourceFile.Write(video);
        var session = await connector.OpenAsync(ConnectorRun.Opening("refused.mp4", video.Length));

        var error = await Assert.ThrowsAsync<PartTransferException>(() => ConnectorRun.CopyAsync(wrongKeys, session, file.Source));

        Assert.Equal(1, error.PartNumber);
        Assert.False(error.IsTransient);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("Access Key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_processing_error_is_reported_as_failed_with_panoptos_message()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "panopto", operation = "updateSessionUpload", failProcessing = true });
        var connector = SimulatedConnectors.Panopto(simulator, tenant);
        var video = TestData.Bytes(1000, seed: 3305);
        using var file = LocalSourceFile.Write(video);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("broken.mp4", video.Length));

        Assert.True(run.Processing.Failed);
        Assert.Equal("ProcessingError: Processing failed (simulated).", run.Processing.Message);
    }

    [Fact]
    public async Task A_commit_retried_after_panopto_did_not_answer_finishes_once_without_redoing_the_upload()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "panopto", operation = "updateSessionUpload", status = 503, times = SimulatedConnectors.QuickRetries.MaxRetries + 1 });
        var connector = SimulatedConnectors.Panopto(simulator, tenant);
        var video = TestData.Bytes(PartSize + 5, seed: 3306);
        using var file = LocalSourceFile.Write(video);
        var opening = ConnectorRun.Opening("retried.mp4", video.Length);
        var session = ConnectorRun.Stored(await connector.OpenAsync(opening));
        var (plan, receipts) = await ConnectorRun.CopyAsync(connector, session, file.Source);

        var unanswered = await Assert.ThrowsAsync<VendorApiException>(() => connector.CommitAsync(session, opening, plan, receipts));
        var retried = await connector.CommitAsync(session, opening, plan, receipts);
        var again = await connector.CommitAsync(session, opening, plan, receipts);
        var processing = await ConnectorRun.PollAsync(connector, session);

        Assert.True(unanswered.Retryable);
        Assert.Equal(503, unanswered.Status);
        Assert.Equal(session.AssetId, retried.VendorAssetId);
        Assert.Equal(session.AssetId, again.VendorAssetId);
        Assert.True(processing.Finished && !processing.Failed, processing.Message);
        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Panopto, session.AssetId!);
        Assert.Equal(TestData.Md5Hex(video), report.Md5);
        Assert.Equal(1, ConnectorRun.Count(report.Requests, "updateSessionUpload", 200));
    }

    [Fact]
    public async Task Cancel_deletes_the_session_upload_and_says_the_target_cannot_abort_the_multipart_upload()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Panopto(simulator, tenant);
        var video = TestData.Bytes(PartSize + 3, seed: 3307);
        using var file = LocalSourceFile.Write(video);
        var session = ConnectorRun.Stored(await connector.OpenAsync(ConnectorRun.Opening("cancelled.mp4", video.Length)));
        await ConnectorRun.CopyAsync(connector, session, file.Source);

        var cancelled = await connector.CancelAsync(session);
        var processing = await ConnectorRun.PollAsync(connector, session);

        Assert.True(cancelled.Applied);
        Assert.Equal("the upload target does not support aborting a multipart upload (405); cancelled the session upload", cancelled.Note);
        // Deleted is not a processing failure Panopto documents: unknown, so neither finished nor failed.
        Assert.False(processing.Finished || processing.Failed);
        Assert.Contains("is Deleted (7)", processing.Message, StringComparison.Ordinal);
        Assert.Empty((await simulator.InspectAsync(tenant, SimulatedVendor.Panopto, session.AssetId!)).Files);
    }

    [Fact]
    public async Task No_log_line_of_a_full_run_with_token_renewal_nor_the_stored_session_holds_a_secret_or_a_token()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "panopto", operation = "getSessionUpload", expireTokens = true });
        var logs = new CapturedLogs();
        string stored;
        var video = TestData.Bytes(PartSize + 11, seed: 3308);
        using var file = LocalSourceFile.Write(video);
        using (var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)))
        {
            var connector = SimulatedConnectors.Panopto(simulator, tenant, o => o.Scope = "openid api offline_access", loggers: loggers);
            var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("logged.mp4", video.Length, new UploadDetails { Title = "Logged" }));
            Assert.True(run.Processing.Finished);
            stored = ConnectorRun.StoredJson(run.Session);
        }

        var credentials = tenant.Credentials.Panopto;
        Assert.Contains(logs.Lines, l => l.Contains("Opened Panopto upload", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("by the refresh_token grant", StringComparison.Ordinal));
        Assert.Empty(ConnectorRun.LinesWithSecrets(logs.Lines, credentials.ClientSecret, credentials.Password, credentials.UploadSecretKey));
        Assert.Empty(ConnectorRun.LinesWithSecrets([stored], credentials.ClientSecret, credentials.Password, credentials.UploadAccessKey, credentials.UploadSecretKey));
    }

    [Fact]
    public void Empty_files_files_beyond_10000_parts_of_25_MB_and_xml_media_are_refused_before_anything_opens()
    {
        var connector = new PanoptoConnector(OfflineOptions(), Simulator.Http);

        Assert.Contains("empty file", connector.CheckAcceptable("empty.mp4", 0), StringComparison.Ordinal);
        Assert.Null(connector.CheckAcceptable("largest.mp4", 10_000L * PartRules.PanoptoMaxPartSize));
        Assert.Contains("more than", connector.CheckAcceptable("huge.mp4", (10_000L * PartRules.PanoptoMaxPartSize) + 1), StringComparison.Ordinal);
        Assert.Contains("manifest", connector.CheckAcceptable("slides.xml", 100), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_without_a_folder_where_none_is_configured_is_a_permanent_failure()
    {
        var connector = new PanoptoConnector(OfflineOptions(), Simulator.Http);

        var noFolder = await Assert.ThrowsAsync<PermanentFailureException>(() => connector.OpenAsync(ConnectorRun.Opening("a.mp4", 10)));
        var notAnId = await Assert.ThrowsAsync<PermanentFailureException>(() =>
            connector.OpenAsync(ConnectorRun.Opening("a.mp4", 10, new UploadDetails { Folder = "Lectures" })));

        Assert.Contains("Uploader:Vendors:Panopto:FolderId", noFolder.Message, StringComparison.Ordinal);
        Assert.Contains("'Lectures' is not a folder id", notAnId.Message, StringComparison.Ordinal);
    }

    private static PanoptoOptions OfflineOptions() => new()
    {
        ServerUrl = new Uri("https://panopto.invalid/"),
        ClientId = "c",
        ClientSecret = "s",
        Username = "u",
        Password = "p",
    };

    /// <summary>The manifest as the upload target holds it, read back from s3rver.</summary>
    private async Task<XDocument> StoredManifestAsync(VendorSession session)
    {
        using var s3 = S3Objects.Client(simulator.Emulators);
        using var manifest = await s3.GetObjectAsync(Emulators.S3Bucket, $"{session.AssetId}/{SessionManifest.FileName}");
        return await XDocument.LoadAsync(manifest.ResponseStream, LoadOptions.None, CancellationToken.None);
    }

    [Fact]
    public async Task The_default_scope_is_openid_api_and_a_refused_offline_access_is_asked_again_without_it()
    {
        var tenant = simulator.NewTenant(s => s.RefuseOfflineAccess = true);
        var video = TestData.Bytes(1000, seed: 3310);
        using var file = LocalSourceFile.Write(video);
        var plain = SimulatedConnectors.Panopto(simulator, tenant);
        var asking = SimulatedConnectors.Panopto(simulator, tenant, o => o.Scope = "openid api offline_access");

        await ConnectorRun.AllStepsAsync(plain, file.Source, ConnectorRun.Opening("plain.mp4", video.Length));
        var run = await ConnectorRun.AllStepsAsync(asking, file.Source, ConnectorRun.Opening("asking.mp4", video.Length));

        Assert.Equal("openid api", SimulatedConnectors.PanoptoOptions(simulator, tenant).Scope);
        Assert.True(run.Processing.Finished);
        Assert.Equal([200, 400, 200], ConnectorRun.Statuses(await simulator.RequestsAsync(tenant), "token"));
    }

    [Theory]
    [InlineData("lecture 1 – café 東京 #2.mp4")]
    [InlineData("a b#c.mov")]
    public async Task A_name_with_spaces_accents_cjk_and_hash_arrives_byte_for_byte_in_the_manifest_and_the_object_key(string fileName)
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Panopto(simulator, tenant);
        var video = TestData.Bytes(1000, seed: 3311);
        using var file = LocalSourceFile.Write(video);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening(fileName, video.Length));

        var manifest = await StoredManifestAsync(run.Session);
        Assert.Equal(fileName, manifest.Root!.Element(Ucs + "Videos")!.Element(Ucs + "Video")!.Element(Ucs + "File")!.Value);
        using var s3 = S3Objects.Client(simulator.Emulators);
        using var stored = await s3.GetObjectAsync(Emulators.S3Bucket, $"{run.Session.AssetId}/{fileName}");
        Assert.Equal(video.Length, stored.ContentLength);
        Assert.True(run.Processing.Finished);
    }

    [Fact]
    public async Task Processing_that_never_confirms_is_neither_finished_nor_failed_and_names_the_state()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "panopto", operation = "updateSessionUpload", stallProcessing = true });
        var connector = SimulatedConnectors.Panopto(simulator, tenant);
        var video = TestData.Bytes(1000, seed: 3312);
        using var file = LocalSourceFile.Write(video);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("stuck.mp4", video.Length));

        Assert.False(run.Processing.Finished);
        Assert.False(run.Processing.Failed);
        Assert.StartsWith($"Panopto session upload {run.Session.AssetId} is Processing (3)", run.Processing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Part_etags_that_are_not_md5_and_a_head_that_fails_after_complete_do_not_fail_a_job_whose_bytes_are_in()
    {
        var tenant = simulator.NewTenant(s => s.PanoptoOpaqueETags = true);
        await simulator.AddFaultAsync(tenant, new { vendor = "panopto", operation = "uploadTargetHead", status = 403, times = 0 });
        var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var connector = SimulatedConnectors.Panopto(simulator, tenant, loggers: loggers);
        var video = TestData.Bytes(PartSize + 99, seed: 3313);
        using var file = LocalSourceFile.Write(video);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("opaque.mp4", video.Length));

        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Panopto, run.Session.AssetId!);
        Assert.Equal("Complete", report.Status);
        Assert.Equal(TestData.Md5Hex(video), report.Md5);
        Assert.Equal(2, logs.Lines.Count(l => l.Contains("opaque.mp4", StringComparison.Ordinal) && l.Contains("not the MD5", StringComparison.Ordinal)));
        Assert.Contains(logs.Lines, l => l.Contains("cannot report the committed size (403", StringComparison.Ordinal));
    }
}
