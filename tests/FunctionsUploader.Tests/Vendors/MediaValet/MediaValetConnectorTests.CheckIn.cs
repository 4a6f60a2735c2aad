using FunctionsUploader.Simulators;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.Vendors.MediaValet;

public sealed partial class MediaValetConnectorTests
{
    [Fact]
    public async Task A_new_version_is_checked_out_uploaded_and_checked_in_and_the_asset_shows_both_versions()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.MediaValet(simulator, tenant);
        var first = TestData.Bytes(1000, seed: 310);
        var second = TestData.Bytes(5 * MiB / 2, seed: 311);
        using var firstFile = LocalSourceFile.Write(first);
        using var secondFile = LocalSourceFile.Write(second);
        var original = await ConnectorRun.AllStepsAsync(connector, firstFile.Source, ConnectorRun.Opening("logo.mov", first));
        var assetId = original.Commit!.VendorAssetId;
        var details = new UploadDetails
        {
            NewVersionOf = assetId,
            Description = "New colours",
            Metadata = new Dictionary<string, string> { ["client"] = "Contoso" },
            Categories = [Guid.NewGuid().ToString()],
        };

        var run = await ConnectorRun.AllStepsAsync(connector, secondFile.Source, ConnectorRun.Opening("brand/logo-v2.mov", second, details));

        Assert.Equal(assetId, run.Session.AssetId);
        Assert.Equal(assetId, run.Commit!.VendorAssetId);
        Assert.Equal(3, run.Plan!.PartCount);
        Assert.IsType<AzureBlobSasTargetSpec>(run.Session.Target);
        Assert.All([run.Metadata, run.Categories, run.Status], outcome =>
        {
            Assert.False(outcome.Applied);
            Assert.Contains("new version", outcome.Note, StringComparison.Ordinal);
        });
        Assert.True(run.Processing.Finished);
        var asset = await simulator.InspectAsync(tenant, SimulatedVendor.MediaValet, assetId);
        Assert.Equal("Finalized", asset.Status);
        Assert.Equal(second.Length, asset.Size);
        Assert.Equal(TestData.Md5Hex(second), asset.Md5);
        Assert.Empty(asset.Categories);
        Assert.DoesNotContain("attributes.client", asset.Metadata.Keys);
        Assert.Equal(
            [(1, "logo.mov", TestData.Md5Hex(first), (long)first.Length), (2, "logo-v2.mov", TestData.Md5Hex(second), second.Length)],
            asset.Versions.Select(v => (v.Version, v.FileName, v.Md5!, v.Size!.Value)));
        Assert.Equal("New colours", asset.Versions[1].Comment);
        Assert.Contains(asset.Requests, r => r.Operation == "checkIn" && r.Status == 202);
    }

    [Fact]
    public async Task A_checked_out_asset_cannot_be_checked_out_again_and_cancel_says_the_check_out_stays()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.MediaValet(simulator, tenant);
        var data = TestData.Bytes(1000, seed: 312);
        using var file = LocalSourceFile.Write(data);
        var assetId = (await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("a.mov", data))).Commit!.VendorAssetId;
        var details = new UploadDetails { NewVersionOf = assetId };

        var session = await connector.OpenAsync(ConnectorRun.Opening("a-v2.mov", data, details));
        var again = await Assert.ThrowsAsync<VendorApiException>(() => connector.OpenAsync(ConnectorRun.Opening("a-v3.mov", data, details)));
        var cancelled = await connector.CancelAsync(session);

        Assert.Equal(409, again.Status);
        Assert.False(again.Retryable);
        Assert.Contains("MediaValet check out answered 409", again.Message, StringComparison.Ordinal);
        Assert.Contains("already checked out", again.Message, StringComparison.Ordinal);
        Assert.False(cancelled.Applied);
        Assert.Contains("stays checked out", cancelled.Note, StringComparison.Ordinal);
        Assert.Equal("CheckedOut", (await simulator.InspectAsync(tenant, SimulatedVendor.MediaValet, assetId)).Status);
    }
}
