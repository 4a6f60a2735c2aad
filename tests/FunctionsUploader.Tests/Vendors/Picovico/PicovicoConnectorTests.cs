using FunctionsUploader.Simulators;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Tests.Transfer;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors.Picovico;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.Vendors.Picovico;

/// <summary>The Picovico connector against the Picovico simulator over s3rver, every step; failures in the other part.</summary>
public sealed partial class PicovicoConnectorTests(Simulator simulator) : IClassFixture<Simulator>
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task A_videoclip_from_a_local_file_goes_through_every_step_and_picovico_holds_the_bytes_once_processed()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Picovico(simulator, tenant);
        var data = TestData.Bytes(11 * MiB, seed: 401);
        using var file = LocalSourceFile.Write(data);
        var details = new UploadDetails { Title = "Holiday", Categories = ["travel"], Metadata = new Dictionary<string, string> { ["a"] = "b" }, Status = "public" };

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("reels/holiday.MOV", data, details, "application/octet-stream"));

        Assert.True(connector.NeedsSourceMd5);
        Assert.Equal(new PartPlan(data.Length, 5 * MiB, 3), run.Plan);
        Assert.Equal(3, Assert.IsType<PresignedPartsTargetSpec>(run.Session.Target).PartUrls.Count);
        Assert.Equal(run.Commit!.VendorAssetId, run.Session.AssetId);
        Assert.All([run.Metadata, run.Categories, run.Status], outcome =>
        {
            Assert.False(outcome.Applied);
            Assert.StartsWith("Picovico has no ", outcome.Note, StringComparison.Ordinal);
        });
        Assert.Equal(new ProcessingCheck(true, false, null), run.Processing);
        Assert.Equal(2, run.ProcessingChecks); // pending once, then available
        var clip = await simulator.InspectAsync(tenant, SimulatedVendor.Picovico, run.Commit.VendorAssetId);
        Assert.Equal("available", clip.Status);
        Assert.Equal(data.Length, clip.Size);
        Assert.Equal(TestData.Md5Hex(data), clip.Md5);
        Assert.Equal("holiday.MOV", clip.FileName);
        Assert.Equal("video/quicktime", clip.Metadata["mime"]);
    }

    [Fact]
    public async Task The_same_bytes_again_are_found_by_their_md5_and_not_one_byte_is_sent()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Picovico(simulator, tenant);
        var data = TestData.Bytes(6 * MiB, seed: 402);
        var staging = await simulator.Emulators.NewContainerAsync("pv-staging");
        var source = await StagingBlobs.UploadAsync(staging, "video/clip.mp4", data);
        var first = await ConnectorRun.AllStepsAsync(connector, source, ConnectorRun.Opening("video/clip.mp4", data));
        var before = (await simulator.RequestsAsync(tenant)).Count;

        var again = await ConnectorRun.AllStepsAsync(connector, source, ConnectorRun.Opening("video/clip-copy.mp4", data));

        Assert.True(again.Session.AlreadyAtVendor);
        Assert.Null(again.Session.Target);
        Assert.Null(again.Commit);
        Assert.Equal(first.Commit!.VendorAssetId, again.Session.AssetId);
        Assert.True(again.Processing.Finished);
        Assert.False(again.Processing.Failed);
        var requests = await simulator.RequestsAsync(tenant);
        Assert.Equal(["getUploadUrls", "getVideoclip"], requests.Skip(before).Select(r => r.Operation));
        Assert.Single(requests, r => r.Operation == "completeUpload");
        Assert.Equal(TestData.Md5Hex(data), (await simulator.InspectAsync(tenant, SimulatedVendor.Picovico, first.Commit.VendorAssetId)).Md5);
        var cancelled = await connector.CancelAsync(again.Session);
        Assert.False(cancelled.Applied);
        Assert.Contains("left in place", cancelled.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_mov_avi_and_mp4_files_of_1_to_10000_parts_of_5_MiB_are_acceptable()
    {
        var tenant = simulator.NewTenant();
        var connector = SimulatedConnectors.Picovico(simulator, tenant);
        const long Largest = 10_000L * 5 * MiB;

        Assert.Null(connector.CheckAcceptable("a/b/CLIP.Mov", Largest));
        Assert.Null(connector.CheckAcceptable("clip.avi", 1));
        Assert.Contains("MOV, AVI or MP4, judged by the file extension; 'clip.mkv'", connector.CheckAcceptable("clip.mkv", 1), StringComparison.Ordinal);
        Assert.Contains("empty file", connector.CheckAcceptable("clip.mp4", 0), StringComparison.Ordinal);
        Assert.Contains("more than the 10,000 allowed", connector.CheckAcceptable("clip.mp4", Largest + 1), StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<PermanentFailureException>(() => connector.OpenAsync(ConnectorRun.Opening("photo.jpg", [1])));
        Assert.Contains("'photo.jpg' is not one", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await simulator.RequestsAsync(tenant));
    }

    [Theory]
    [InlineData("2.7")]
    [InlineData("2.1")]
    public async Task Login_and_videoclip_answers_are_read_wrapped_in_data_or_bare(string version)
    {
        var tenant = simulator.NewTenant(s => s.PicovicoApiVersion = version);
        var connector = SimulatedConnectors.Picovico(simulator, tenant);
        var data = TestData.Bytes(MiB, seed: 402);
        using var file = LocalSourceFile.Write(data);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("shape.mp4", data));

        Assert.Equal(new ProcessingCheck(true, false, null), run.Processing);
        Assert.Equal(TestData.Md5Hex(data), (await simulator.InspectAsync(tenant, SimulatedVendor.Picovico, run.Commit!.VendorAssetId)).Md5);
    }

    [Fact]
    public async Task Processing_that_never_confirms_is_neither_finished_nor_failed_and_says_what_it_saw()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "picovico", operation = "completeUpload", stallProcessing = true });
        var connector = SimulatedConnectors.Picovico(simulator, tenant);
        var data = TestData.Bytes(MiB, seed: 403);
        using var file = LocalSourceFile.Write(data);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("stuck.mp4", data));

        Assert.Equal(new ProcessingCheck(false, false, $"Picovico is processing videoclip {run.Commit!.VendorAssetId} (status pending)."), run.Processing);
    }

    [Fact]
    public async Task Part_urls_that_expired_before_the_parts_went_are_asked_for_again_and_each_part_arrives_once()
    {
        // Fresh URLs must outlive a slow, loaded machine (X-Amz-Date has whole seconds); the first ones are waited out.
        var tenant = simulator.NewTenant(s => s.PresignedUrlLifetime = TimeSpan.FromSeconds(5));
        var connector = SimulatedConnectors.Picovico(simulator, tenant);
        var data = TestData.Bytes((2 * 5 * MiB) + 300, seed: 404);
        using var file = LocalSourceFile.Write(data);
        var opening = ConnectorRun.Opening("late café #1.mp4", data);
        var session = ConnectorRun.Stored(await connector.OpenAsync(opening));

        await Task.Delay(TimeSpan.FromSeconds(6.5)); // every URL the open got has expired
        var (plan, receipts) = await ConnectorRun.CopyAsync(connector, session, file.Source);
        var commit = await connector.CommitAsync(session, opening, plan, receipts);

        var requests = await simulator.RequestsAsync(tenant);
        // Each copy batch builds its target from the stored session (stale URLs) and asks once for fresh ones.
        Assert.Equal(1 + plan.GetBatches(ConnectorRun.BatchBytes).Count(), ConnectorRun.Count(requests, "getUploadUrls", 200));
        Assert.Equal(3, ConnectorRun.Count(requests, "uploadPart", 200));
        Assert.Equal(TestData.Md5Hex(data), (await simulator.InspectAsync(tenant, SimulatedVendor.Picovico, commit.VendorAssetId)).Md5);
    }

    [Fact]
    public async Task A_part_refused_403_mid_upload_sends_only_the_parts_still_missing_with_fresh_urls()
    {
        var tenant = simulator.NewTenant();
        await simulator.AddFaultAsync(tenant, new { vendor = "picovico", operation = "uploadPart", nth = 2, status = 403 });
        var connector = SimulatedConnectors.Picovico(simulator, tenant, configure: null);
        var data = TestData.Bytes((2 * 5 * MiB) + 300, seed: 405);
        using var file = LocalSourceFile.Write(data);

        var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("refused.mp4", data));

        var requests = await simulator.RequestsAsync(tenant);
        Assert.Equal([403], requests.Where(r => r.Operation == "uploadPart" && r.Status != 200).Select(r => r.Status));
        Assert.Equal(3, ConnectorRun.Count(requests, "uploadPart", 200));
        Assert.Equal(2, ConnectorRun.Count(requests, "getUploadUrls", 200));
        Assert.Equal(TestData.Md5Hex(data), (await simulator.InspectAsync(tenant, SimulatedVendor.Picovico, run.Commit!.VendorAssetId)).Md5);
    }
}
