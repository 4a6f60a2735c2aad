using FunctionsUploader.Simulators;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Tests.Vendors.MediaValet;

public sealed partial class MediaValetConnectorTests
{
    [Fact]
    public async Task Bad_credentials_fail_at_once_naming_mediavalet_without_a_retry_or_the_secret()
    {
        var tenant = simulator.NewTenant();
        var wrongSecret = SimulatedConnectors.MediaValet(simulator, tenant, o => o.ClientSecret = "wrong-client-secret");
        var wrongPassword = SimulatedConnectors.MediaValet(simulator, tenant, o => o.Password = "wrong-password");

        var clientRefused = await Assert.ThrowsAsync<VendorApiException>(() => wrongSecret.OpenAsync(ConnectorRun.Opening("a.mp4", [1])));
        var userRefused = await Assert.ThrowsAsync<VendorApiException>(() => wrongPassword.OpenAsync(ConnectorRun.Opening("a.mp4", [1])));

        Assert.All([clientRefused, userRefused], e =>
        {
            Assert.False(e.Retryable);
            Assert.StartsWith("MediaValet token request (password grant) answered", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-", e.ToString(), StringComparison.Ordinal);
        });
        Assert.Equal(401, clientRefused.Status);
        Assert.Contains("check the credentials", clientRefused.Message, StringComparison.Ordinal);
        Assert.Equal(400, userRefused.Status);
        Assert.Contains("username or password is wrong", userRefused.Message, StringComparison.Ordinal);
        var requests = await simulator.RequestsAsync(tenant);
        Assert.Equal(["token", "token"], requests.Select(r => r.Operation));
    }

    [Fact]
    public async Task A_429_is_waited_out_for_its_retry_after_and_the_upload_opens()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "mediavalet", operation = "createUpload", retryAfterSeconds = 1 });
        var connector = SimulatedConnectors.MediaValet(simulator, tenant);

        var session = await connector.OpenAsync(ConnectorRun.Opening("a.mp4", [1]));

        Assert.NotNull(session.AssetId);
        var creates = (await simulator.RequestsAsync(tenant)).Where(r => r.Operation == "createUpload").ToList();
        Assert.Equal([429, 200], creates.Select(r => r.Status));
    }

    [Fact]
    public async Task A_token_expiring_mid_upload_is_renewed_with_the_refresh_token_and_the_upload_completes()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "mediavalet", operation = "updateUpload", expireTokens = true });
        var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var connector = SimulatedConnectors.MediaValet(simulator, tenant, o => o.Scope = "openid api offline_access", loggers);
        var data = TestData.Bytes(3 * MiB / 2, seed: 302);

        using var file = LocalSourceFile.Write(data);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("a.mp4", data));

        var asset = await simulator.InspectAsync(tenant, SimulatedVendor.MediaValet, run.Commit!.VendorAssetId);
        Assert.Equal("Finalized", asset.Status);
        Assert.Equal(TestData.Md5Hex(data), asset.Md5);
        var requests = await simulator.RequestsAsync(tenant);
        Assert.Equal([401, 200], requests.Where(r => r.Operation == "updateUpload").Select(r => r.Status));
        Assert.Equal(2, requests.Count(r => r.Operation == "token"));
        Assert.Contains(logs.Lines, l => l.Contains("by the refresh_token grant", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_refresh_token_falls_back_to_the_password_grant()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "mediavalet", operation = "createUpload", nth = 2, expireTokens = true });
        await simulator.AddFaultAsync(tenant, new { vendor = "mediavalet", operation = "token", nth = 2, status = 400 });
        var connector = SimulatedConnectors.MediaValet(simulator, tenant, o => o.Scope = "openid api offline_access");

        await connector.OpenAsync(ConnectorRun.Opening("a.mp4", [1]));
        var second = await connector.OpenAsync(ConnectorRun.Opening("b.mp4", [1]));

        Assert.NotNull(second.AssetId);
        var requests = await simulator.RequestsAsync(tenant);
        Assert.Equal([200, 400, 200], requests.Where(r => r.Operation == "token").Select(r => r.Status));
    }

    [Fact]
    public async Task An_upload_url_whose_sas_expired_refuses_parts_and_the_commit_clearly_and_cancel_removes_the_holder()
    {
        var tenant = simulator.NewTenant(s => s.SasLifetime = TimeSpan.FromSeconds(1));
        var connector = SimulatedConnectors.MediaValet(simulator, tenant);
        var data = TestData.Bytes(5 * MiB / 2, seed: 303);
        using var file = LocalSourceFile.Write(data);
        var source = file.Source;
        var opening = ConnectorRun.Opening("late.mp4", data);
        var session = await connector.OpenAsync(opening);
        var (plan, receipts) = await ConnectorRun.CopyAsync(connector, session, source);

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the SAS lives 1 to 2 s: its expiry is rounded up to a whole second
        var commit = await Assert.ThrowsAsync<VendorApiException>(() => connector.CommitAsync(session, opening, plan, receipts));
        var part = await Assert.ThrowsAsync<PartTransferException>(() => ConnectorRun.CopyAsync(connector, session, source));
        var cancelled = await connector.CancelAsync(session);
        var cancelledAgain = await connector.CancelAsync(session);

        Assert.Equal(403, commit.Status);
        Assert.False(commit.Retryable);
        Assert.StartsWith("MediaValet commit blocks answered 403", commit.Message, StringComparison.Ordinal);
        Assert.Equal(1, part.PartNumber);
        Assert.False(part.IsTransient);
        Assert.Contains("Part 1 (bytes 0-1048575)", part.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", part.Message + commit.Message, StringComparison.Ordinal);
        Assert.True(cancelled.Applied, cancelled.Note);
        Assert.True(cancelledAgain.Applied, cancelledAgain.Note);
        Assert.Equal("Cancelled", (await simulator.InspectAsync(tenant, SimulatedVendor.MediaValet, session.AssetId!)).Status);
    }

    [Fact]
    public async Task A_fill_the_vendor_refuses_as_invalid_is_not_retried_and_says_why()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "mediavalet", operation = "updateUpload", status = 400 });
        var connector = SimulatedConnectors.MediaValet(simulator, tenant);
        var data = TestData.Bytes(1000, seed: 304);
        var opening = ConnectorRun.Opening("a.mp4", data);
        var session = await connector.OpenAsync(opening);
        using var file = LocalSourceFile.Write(data);
        var (plan, receipts) = await ConnectorRun.CopyAsync(connector, session, file.Source);

        var refused = await Assert.ThrowsAsync<VendorApiException>(() => connector.CommitAsync(session, opening, plan, receipts));

        Assert.False(refused.Retryable);
        Assert.Equal(400, refused.Status);
        Assert.Contains("MediaValet fill upload answered 400", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Simulated fault", refused.Message, StringComparison.Ordinal);
        Assert.Single(await simulator.RequestsAsync(tenant), r => r.Operation == "updateUpload");
    }
}
