using FunctionsUploader.Simulators;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Tests.Transfer;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Vendors.MediaValet;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.Vendors.MediaValet;

/// <summary>The MediaValet connector against the MediaValet simulator, every step; failures and check-in in the other parts.</summary>
public sealed partial class MediaValetConnectorTests(Simulator simulator) : IClassFixture<Simulator>
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task A_new_asset_from_a_staging_blob_is_copied_server_side_through_every_step_and_mediavalet_holds_the_bytes_and_every_field()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.MediaValet(simulator, tenant);
        var data = TestData.Bytes(5 * MiB / 2, seed: 301);
        var staging = await simulator.Emulators.NewContainerAsync("mv-staging");
        var source = new CountingSource(await StagingBlobs.UploadAsync(staging, "dam/launch/clip one.mp4", data));
        string[] categories = [Guid.NewGuid().ToString(), Guid.NewGuid().ToString()];
        var details = new UploadDetails
        {
            Title = "Launch clip",
            Description = "The first cut",
            Metadata = new Dictionary<string, string> { ["client"] = "Contoso", ["campaign"] = "Spring" },
            Categories = categories,
            Status = "1",
        };

        var run = await ConnectorRun.AllStepsAsync(connector, source, ConnectorRun.Opening("dam/launch/clip one.mp4", data, details));

        Assert.Equal(3, run.Plan!.PartCount);
        Assert.Equal(0, source.BytesRead); // MediaValet's upload SAS let its storage copy every block from staging itself
        Assert.Equal(run.Session.AssetId, run.Commit!.VendorAssetId);
        Assert.Equal(MiB, Assert.IsType<AzureBlobSasTargetSpec>(run.Session.Target).BlockSize);
        Assert.All([run.Metadata, run.Categories, run.Status], outcome => Assert.True(outcome.Applied, outcome.Note));
        Assert.Equal(new ProcessingCheck(true, false, null), run.Processing);
        var asset = await simulator.InspectAsync(tenant, SimulatedVendor.MediaValet, run.Commit.VendorAssetId);
        Assert.Equal("Finalized", asset.Status);
        Assert.Equal(data.Length, asset.Size);
        Assert.Equal(TestData.Md5Hex(data), asset.Md5);
        Assert.Equal("Launch clip", asset.Metadata["title"]);
        Assert.Equal("The first cut", asset.Metadata["description"]);
        Assert.Equal(data.Length.ToString(CultureInfo.InvariantCulture), asset.Metadata["fileSizeInBytes"]);
        Assert.Equal("Contoso", asset.Metadata["attributes.client"]);
        Assert.Equal("Spring", asset.Metadata["attributes.campaign"]);
        Assert.Equal(categories, asset.Categories);
        Assert.Equal("clip one.mp4", Assert.Single(asset.Versions).FileName);
    }

    [Fact]
    public async Task An_empty_file_is_taken_as_azure_and_mediavalet_take_it_and_the_title_defaults_to_the_file_name()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.MediaValet(simulator, tenant);
        using var file = LocalSourceFile.Write([]);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("empty.mp4", []));

        Assert.False(run.Metadata.Applied);
        Assert.False(run.Categories.Applied);
        Assert.True(run.Status.Applied);
        var asset = await simulator.InspectAsync(tenant, SimulatedVendor.MediaValet, run.Commit!.VendorAssetId);
        Assert.Equal("Finalized", asset.Status);
        Assert.Equal(0, asset.Size);
        Assert.Equal("empty.mp4", asset.Metadata["title"]);
    }

    [Fact]
    public void Files_over_200_GB_are_refused_before_anything_opens()
    {
        var connector = SimulatedConnectors.MediaValet(simulator, simulator.NewTenant());

        var refusal = connector.CheckAcceptable("huge.mov", MediaValetConnector.MaxFileSize + 1);

        Assert.Contains("at most 200 GB", refusal, StringComparison.Ordinal);
        Assert.Null(connector.CheckAcceptable("limit.mov", MediaValetConnector.MaxFileSize));
        Assert.Null(connector.CheckAcceptable("logo.png", 0));
    }

    [Fact]
    public async Task Category_names_and_statuses_other_than_1_are_refused_before_anything_opens()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.MediaValet(simulator, tenant);

        var byName = await Assert.ThrowsAsync<PermanentFailureException>(() =>
            connector.OpenAsync(ConnectorRun.Opening("a.mp4", [1], new UploadDetails { Categories = ["Marketing"] })));
        var status = await Assert.ThrowsAsync<PermanentFailureException>(() =>
            connector.OpenAsync(ConnectorRun.Opening("a.mp4", [1], new UploadDetails { Status = "Approved" })));

        Assert.Contains("'Marketing' is not one", byName.Message, StringComparison.Ordinal);
        Assert.Contains("'Approved' cannot be set", status.Message, StringComparison.Ordinal);
        Assert.Empty(await simulator.RequestsAsync(tenant));
    }

    [Theory]
    [InlineData("clip 1 – café 東京 #2.mp4")]
    [InlineData("a b#c.mov")]
    public async Task A_name_with_spaces_accents_cjk_and_hash_arrives_byte_for_byte_as_the_mediavalet_filename(string fileName)
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.MediaValet(simulator, tenant);
        var data = TestData.Bytes(1000, seed: 302);
        using var file = LocalSourceFile.Write(data);

        // The finalize goes as application/json: the simulator refuses any other type with 415, as the sample's server may.
        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening(fileName, data, new UploadDetails { Status = "1" }));

        var asset = await simulator.InspectAsync(tenant, SimulatedVendor.MediaValet, run.Commit!.VendorAssetId);
        Assert.Equal(fileName, Assert.Single(asset.Versions).FileName);
        Assert.Equal(TestData.Md5Hex(data), asset.Md5);
        Assert.Equal("Finalized", asset.Status);
    }

    [Fact]
    public async Task A_status_step_refused_after_the_commit_fails_that_step_clearly_and_leaves_the_bytes_at_mediavalet()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "mediavalet", operation = "finalizeUpload", status = 400, times = 0 });
        var connector = SimulatedConnectors.MediaValet(simulator, tenant);
        var data = TestData.Bytes(1000, seed: 303);
        using var file = LocalSourceFile.Write(data);
        var opening = ConnectorRun.Opening("refused.mp4", data, new UploadDetails { Status = "1" });
        var session = ConnectorRun.Stored(await connector.OpenAsync(opening));
        var (plan, receipts) = await ConnectorRun.CopyAsync(connector, session, file.Source);
        var commit = await connector.CommitAsync(session, opening, plan, receipts);

        var refused = await Assert.ThrowsAsync<VendorApiException>(() => connector.SetStatusAsync(commit.Session, opening.Details));

        Assert.Equal(400, refused.Status);
        Assert.False(refused.Retryable);
        var asset = await simulator.InspectAsync(tenant, SimulatedVendor.MediaValet, commit.VendorAssetId);
        Assert.Equal(TestData.Md5Hex(data), asset.Md5);
        Assert.NotEqual("Deleted", asset.Status);
    }
}
