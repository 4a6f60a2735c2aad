using FunctionsUploader.Simulators;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Vendors;

namespace FunctionsUploader.Tests.Vendors.Picovico;

public sealed partial class PicovicoConnectorTests
{
    [Fact]
    public async Task Bad_credentials_fail_at_once_naming_picovico_without_a_retry_or_the_password()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Picovico(simulator, tenant, o => o.Password = "wrong-password");

        var refused = await Assert.ThrowsAsync<VendorApiException>(() => connector.OpenAsync(ConnectorRun.Opening("a.mp4", [1])));

        Assert.False(refused.Retryable);
        Assert.Equal(401, refused.Status);
        Assert.StartsWith("Picovico login answered 401", refused.Message, StringComparison.Ordinal);
        Assert.Contains("check the credentials", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(["login"], (await simulator.RequestsAsync(tenant)).Select(r => r.Operation));
    }

    [Fact]
    public async Task A_429_is_waited_out_for_its_retry_after_and_the_upload_urls_come()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "picovico", operation = "getUploadUrls", retryAfterSeconds = 1 });
        var connector = SimulatedConnectors.Picovico(simulator, tenant);

        var session = await connector.OpenAsync(ConnectorRun.Opening("a.mp4", [1, 2, 3]));

        Assert.NotNull(session.Target);
        Assert.Equal([429, 200], (await simulator.RequestsAsync(tenant)).Where(r => r.Operation == "getUploadUrls").Select(r => r.Status));
    }

    [Fact]
    public async Task A_login_expiring_mid_upload_is_renewed_and_the_clip_is_finalized()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "picovico", operation = "completeUpload", expireTokens = true });
        var connector = SimulatedConnectors.Picovico(simulator, tenant);
        var data = TestData.Bytes(2000, seed: 403);
        using var file = LocalSourceFile.Write(data);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("a.mp4", data));

        Assert.True(run.Processing.Finished);
        Assert.False(run.Processing.Failed);
        var requests = await simulator.RequestsAsync(tenant);
        Assert.Equal([401, 200], requests.Where(r => r.Operation == "completeUpload").Select(r => r.Status));
        Assert.Equal(2, requests.Count(r => r.Operation == "login"));
    }

    [Fact]
    public async Task A_finalize_whose_answer_is_lost_finds_the_clip_instead_of_failing_the_upload()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "picovico", operation = "completeUpload", dropResponse = true });
        var connector = SimulatedConnectors.Picovico(simulator, tenant);
        var data = TestData.Bytes(3000, seed: 405);
        using var file = LocalSourceFile.Write(data);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("lost answer.mp4", data));

        Assert.True(run.Processing.Finished);
        Assert.False(run.Processing.Failed);
        var requests = await simulator.RequestsAsync(tenant);
        Assert.Equal(2, requests.Count(r => r.Operation == "completeUpload")); // the lost answer, then the retry that finds the upload closed
        var clip = await simulator.InspectAsync(tenant, SimulatedVendor.Picovico, run.Commit!.VendorAssetId);
        Assert.Equal(TestData.Md5Hex(data), clip.Md5);
        Assert.Equal(2, requests.Count(r => r.Operation == "getUploadUrls")); // the open, then the look-up that found the clip
    }

    [Fact]
    public async Task A_part_whose_etag_is_not_its_bytes_is_refused_at_finalize_naming_the_part()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Picovico(simulator, tenant);
        var data = TestData.Bytes(6 * MiB, seed: 404);
        using var file = LocalSourceFile.Write(data);
        var opening = ConnectorRun.Opening("a.mp4", data);
        var session = await connector.OpenAsync(opening);
        var (plan, receipts) = await ConnectorRun.CopyAsync(connector, session, file.Source);
        receipts[1] = receipts[1] with { Tag = "\"00000000000000000000000000000000\"" };

        var refused = await Assert.ThrowsAsync<VendorApiException>(() => connector.CommitAsync(session, opening, plan, receipts));

        Assert.False(refused.Retryable);
        Assert.Equal(400, refused.Status);
        Assert.Contains("Picovico finalize upload answered 400", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Part 2's ETag does not match", refused.Message, StringComparison.Ordinal);
        Assert.Single(await simulator.RequestsAsync(tenant), r => r.Operation == "completeUpload");
    }

    [Fact]
    public async Task Processing_that_fails_at_picovico_is_reported_finished_and_failed_and_cancel_says_what_stays()
    {
        var tenant = simulator.NewTenant(s => s.ProcessingPolls = 0);
        await simulator.AddFaultAsync(tenant, new { vendor = "picovico", operation = "completeUpload", failProcessing = true });
        var connector = SimulatedConnectors.Picovico(simulator, tenant);
        var data = TestData.Bytes(1000, seed: 405);
        using var file = LocalSourceFile.Write(data);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("a.avi", data));
        var cancelled = await connector.CancelAsync(run.Session);

        Assert.True(run.Processing.Finished);
        Assert.True(run.Processing.Failed);
        Assert.Contains($"could not process videoclip {run.Session.AssetId}", run.Processing.Message, StringComparison.Ordinal);
        Assert.False(cancelled.Applied);
        Assert.Contains("no way to cancel", cancelled.Note, StringComparison.Ordinal);
    }
}
