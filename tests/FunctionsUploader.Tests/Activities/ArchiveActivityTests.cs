using System.Text;
using System.Text.Json;
using FunctionsUploader.Activities;
using FunctionsUploader.Intake;
using FunctionsUploader.Jobs;
using FunctionsUploader.Storage;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsUploader.Tests.Activities;

public sealed class ArchiveActivityTests(Emulators emulators) : IClassFixture<Emulators>
{
    [Fact]
    public async Task A_delivered_file_and_its_sidecar_move_to_processed_and_a_second_run_finds_the_work_done()
    {
        var (staging, activity, options) = await SetUpAsync();
        var data = TestData.Bytes(5000);
        var written = await staging.Staging.GetBlobClient("dam/talk é.mp4").UploadAsync(BinaryData.FromBytes(data), overwrite: true);
        await staging.Staging.GetBlobClient("dam/talk é.mp4.upload.json").UploadAsync(BinaryData.FromBytes("{}"u8.ToArray()), overwrite: true);
        var request = new ArchiveRequest(Job(options, "dam/talk é.mp4", written.Value.ETag.ToString("H")), null);

        var archived = await activity.RunAsync(request, default);
        var again = await activity.RunAsync(request, default);

        Assert.Equal($"{options.ProcessedContainer}/dam/talk é.mp4", archived.Destination);
        Assert.Equal(archived, again);
        Assert.False(await staging.Staging.GetBlobClient("dam/talk é.mp4").ExistsAsync());
        Assert.False(await staging.Staging.GetBlobClient("dam/talk é.mp4.upload.json").ExistsAsync());
        Assert.True(await staging.Processed.GetBlobClient("dam/talk é.mp4.upload.json").ExistsAsync());
        await using var moved = await staging.Processed.GetBlobClient("dam/talk é.mp4").OpenReadAsync(0, data.Length);
        Assert.Equal(TestData.Md5Hex(data), TestData.Md5Hex(await TestData.ReadAllAsync(moved)));
    }

    [Fact]
    public async Task A_failed_job_moves_the_source_to_failed_with_an_error_report()
    {
        var (staging, activity, options) = await SetUpAsync();
        var written = await staging.Staging.GetBlobClient("clip.mp4").UploadAsync(BinaryData.FromBytes(new byte[10]), overwrite: true);
        var failure = new FailureReport(ActivityNames.Commit, "MediaValet finalize upload answered 400 BadRequest: size mismatch", true);

        var archived = await activity.RunAsync(new ArchiveRequest(Job(options, "clip.mp4", written.Value.ETag.ToString("H")), failure), default);

        Assert.Equal($"{options.FailedContainer}/clip.mp4", archived.Destination);
        Assert.True(await staging.Failed.GetBlobClient("clip.mp4").ExistsAsync());
        Assert.False(await staging.Staging.GetBlobClient("clip.mp4").ExistsAsync());
        var reportBlob = staging.Failed.GetBlobClient("clip.mp4.error.json");
        await using var stream = (await reportBlob.DownloadStreamingAsync()).Value.Content;
        using var report = JsonDocument.Parse(await TestData.ReadAllAsync(stream));
        Assert.Equal("job-a", report.RootElement.GetProperty("jobId").GetString());
        Assert.Equal(ActivityNames.Commit, report.RootElement.GetProperty("step").GetString());
        Assert.Contains("size mismatch", report.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_replaced_during_the_job_is_left_in_staging_for_its_own_job()
    {
        var (staging, activity, options) = await SetUpAsync();
        var blob = staging.Staging.GetBlobClient("replaced.mp4");
        var first = await blob.UploadAsync(BinaryData.FromBytes(new byte[10]), overwrite: true);
        await blob.UploadAsync(BinaryData.FromBytes(new byte[20]), overwrite: true);

        var error = await Assert.ThrowsAsync<PermanentFailureException>(() => activity.RunAsync(new ArchiveRequest(Job(options, "replaced.mp4", first.Value.ETag.ToString("H")), null), default));

        Assert.Contains("replaced while it was being uploaded", error.Message, StringComparison.Ordinal);
        Assert.Equal(20, (await blob.GetPropertiesAsync()).Value.ContentLength);
        Assert.False(await staging.Processed.GetBlobClient("replaced.mp4").ExistsAsync());
    }

    [Fact]
    public async Task A_local_file_is_never_moved()
    {
        var (_, activity, options) = await SetUpAsync();
        var path = Path.GetTempFileName();
        try
        {
            var job = new UploadJob("job-l", "prepr", SourceRef.LocalFile(path), new UploadDetails(), new WorkflowSettings());
            var archived = await activity.RunAsync(new ArchiveRequest(job, null), default);
            Assert.Null(archived.Destination);
            Assert.True(File.Exists(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<(StagingAccount Staging, ArchiveActivity Activity, StagingOptions Options)> SetUpAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var options = new StagingOptions
        {
            ConnectionString = emulators.Local.BlobConnectionString,
            Container = "staging-" + suffix,
            ProcessedContainer = "processed-" + suffix,
            FailedContainer = "failed-" + suffix,
            JobsContainer = "jobs-" + suffix,
        };
        var staging = new StagingAccount(options);
        await staging.Staging.CreateIfNotExistsAsync();
        return (staging, new ArchiveActivity(new ServiceCollection().AddSingleton(staging).BuildServiceProvider(), new JobDocuments(new BlobJobStore(staging.Jobs)), TimeProvider.System), options);
    }

    private static UploadJob Job(StagingOptions options, string name, string etag) =>
        new("job-a", "mediavalet", new SourceRef(options.Container, name, etag), new UploadDetails(), new WorkflowSettings());
}
