using System.Text;
using Azure.Storage.Blobs.Models;
using FunctionsUploader.Intake;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.Intake;

public sealed class UploadIntakeTests(Emulators emulators) : IClassFixture<Emulators>
{
    private static readonly string[] Vendors = ["mediavalet", "picovico", "prepr", "panopto"];

    private static readonly IntakeOptions Options = new()
    {
        Routes =
        [
            new RouteOptions { Prefix = "dam/", Vendors = ["mediavalet"], Title = "From DAM route", Categories = ["route-cat"], Status = "1" },
            new RouteOptions { Prefix = "dam/video/", Vendors = ["mediavalet", "panopto"], Folder = "folder-1" },
        ],
    };

    /// <summary>Bad inputs at intake, each with the error text a user reads; the file must stay in staging.</summary>
    public static TheoryData<string, string?, string?, string> BadInputs => new()
    {
        // blob name, sidecar JSON (null: none), request JSON (null: blob event), expected error text
        { "loose/clip.mp4", null, null, "no route matches this path and neither a sidecar" },
        { "dam/clip.mp4", "{\"vendors\":[\"youtube\"]}", null, "unknown vendor 'youtube' (configured: mediavalet, panopto, picovico, prepr)" },
        { "dam/clip.mp4", "{\"titel\":\"typo\"}", null, "unknown field 'titel' (allowed: vendors, title, description" },
        { "dam/clip.mp4", "{\"title\":42}", null, "field 'title' must be a string, not a number" },
        { "dam/clip.mp4", "{\"categories\":\"one\"}", null, "field 'categories' must be an array of strings" },
        { "dam/clip.mp4", "{\"metadata\":{\"k\":1}}", null, "field 'metadata' must be an object whose values are strings" },
        { "dam/clip.mp4", "{\"recordedAt\":\"yesterday\"}", null, "field 'recordedAt' must be a date" },
        { "dam/clip.mp4", "{\"title\":\"x\",}", null, "clip.mp4.upload.json: is not valid JSON" },
        { "dam/clip.mp4", "[\"mediavalet\"]", null, "must be a JSON object, not an array" },
        { "dam/clip.mp4", string.Empty, null, "is empty; write a JSON object" },
        { "dam/clip.mp4", "{\"jobId\":\"has/slash\"}", null, "the job id may hold only letters, digits" },
        { "dam/clip.mp4", "{\"title\":\"" + new string('t', 501) + "\"}", null, "field 'title' is 501 characters long; at most 500" },
        { "dam/clip.mp4", "{\"titel\":\"a\",\"vendors\":[\"nope\"]}", null, "unknown field 'titel'" },
        { "dam/clip.mp4", "{\"metadata\":{\"owner\":\"a\",\"owner\":\"b\"}}", null, "field 'metadata' has the key 'owner' more than once" },
        { "dam/clip.mp4", "{\"title\":\"a\",\"title\":\"b\"}", null, "field 'title' appears more than once" },
        { "dam/clip.mp4", null, "{\"vendors\":[\"mediavalet\"]}", "field 'source' is required" },
        { "dam/clip.mp4", null, "{\"source\":\"dam/../secret.mp4\",\"vendors\":[\"mediavalet\"]}", "path traversal is not allowed" },
        { "dam/clip.mp4", null, "{\"source\":\"dam/missing.mp4\",\"vendors\":[\"mediavalet\"]}", "dam/missing.mp4: the file does not exist in the staging container" },
        { "dam/clip.mp4", null, "{\"source\":\"dam/clip.mp4\",\"vendor\":\"mediavalet\"}", "unknown field 'vendor' (allowed: source, vendors" },
        { "dam/clip.mp4", null, "{\"source\":\"dam\\\\clip.mp4\",\"vendors\":[\"mediavalet\"]}", "use '/' between folders" },
        { "dam/clip.mp4", null, "{\"source\":\"dam/clip.mp4.upload.json\"}", "is a sidecar or error report, not a media file" },
        { "dam/clip.mp4", null, "{\"source\":\"dam/clip\\u0007.mp4\",\"vendors\":[\"prepr\"]}", "control characters" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_refused_with_a_specific_message_and_the_file_stays(string blobName, string? sidecar, string? request, string expected)
    {
        var staging = await emulators.NewContainerAsync("staging");
        var source = staging.GetBlobClient(blobName);
        await source.UploadAsync(BinaryData.FromBytes(new byte[10]), overwrite: true);
        if (sidecar is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(sidecar);
            await staging.GetBlobClient(blobName + UploadInstructions.SidecarSuffix).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
        }

        var intake = new UploadIntake(staging, Options, Vendors, new WorkflowSettings());
        var error = await Assert.ThrowsAsync<IntakeException>(() => request is null
            ? intake.FromBlobAsync(blobName)
            : intake.FromRequestAsync(UploadInstructions.ParseRequest(Encoding.UTF8.GetBytes(request))));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
        Assert.True(await source.ExistsAsync());
    }

    [Fact]
    public async Task The_longest_matching_route_gives_one_job_per_vendor_with_its_defaults()
    {
        var staging = await emulators.NewContainerAsync("staging");
        var written = await staging.GetBlobClient("dam/video/talk one é.mp4").UploadAsync(BinaryData.FromBytes(new byte[5]), overwrite: true);

        var jobs = await new UploadIntake(staging, Options, Vendors, new WorkflowSettings()).FromBlobAsync("dam/video/talk one é.mp4");

        Assert.Equal(["mediavalet", "panopto"], jobs.Select(j => j.Vendor));
        Assert.All(jobs, j => Assert.Equal(new SourceRef(staging.Name, "dam/video/talk one é.mp4", written.Value.ETag.ToString("H")), j.Source));
        Assert.All(jobs, j => Assert.Equal("folder-1", j.Details.Folder));
        Assert.NotEqual(jobs[0].JobId, jobs[1].JobId);
        Assert.All(jobs, j => Assert.Null(JobIds.Validate(j.JobId)));
        Assert.Equal([jobs[1].JobId], jobs[0].Siblings); // They share the source: the last to end archives it.
        Assert.Equal([jobs[0].JobId], jobs[1].Siblings);
    }

    [Fact]
    public async Task Sidecar_overrides_metadata_which_overrides_the_route()
    {
        var staging = await emulators.NewContainerAsync("staging");
        await staging.GetBlobClient("dam/a.mp4").UploadAsync(BinaryData.FromBytes(new byte[5]), new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { ["upload_title"] = "From metadata", ["upload_description"] = "Meta description", ["upload_categories"] = "m1, m2" },
        });
        var sidecar = Encoding.UTF8.GetBytes("{\"title\":\"From sidecar\",\"metadata\":{\"owner\":\"ana\"},\"recordedAt\":\"2026-01-02T03:04:05Z\"}");
        await staging.GetBlobClient("dam/a.mp4" + UploadInstructions.SidecarSuffix).UploadAsync(BinaryData.FromBytes(sidecar), overwrite: true);

        var job = Assert.Single(await new UploadIntake(staging, Options, Vendors, new WorkflowSettings()).FromBlobAsync("dam/a.mp4"));

        Assert.Equal("mediavalet", job.Vendor);
        Assert.Equal("From sidecar", job.Details.Title);
        Assert.Equal("Meta description", job.Details.Description);
        Assert.Equal(["m1", "m2"], job.Details.Categories);
        Assert.Equal("1", job.Details.Status);
        Assert.Equal("ana", job.Details.Metadata["owner"]);
        Assert.Equal(DateTimeOffset.Parse("2026-01-02T03:04:05Z", CultureInfo.InvariantCulture), job.Details.RecordedAt);
    }

    [Fact]
    public async Task A_misspelt_upload_metadata_key_is_refused_naming_the_keys_allowed()
    {
        var staging = await emulators.NewContainerAsync("staging");
        var source = staging.GetBlobClient("dam/a.mp4");
        await source.UploadAsync(BinaryData.FromBytes(new byte[5]), new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { ["upload_titel"] = "typo", ["upload_description"] = "fine" },
        });

        var error = await Assert.ThrowsAsync<IntakeException>(() => new UploadIntake(staging, Options, Vendors, new WorkflowSettings()).FromBlobAsync("dam/a.mp4"));

        Assert.Contains(
            "unknown metadata key 'upload_titel' (allowed: upload_title, upload_description, upload_vendors, upload_categories, upload_status, upload_folder)",
            error.Message,
            StringComparison.Ordinal);
        Assert.True(await source.ExistsAsync());
    }

    [Fact]
    public async Task A_sidecar_saved_with_a_byte_order_mark_is_read()
    {
        var staging = await emulators.NewContainerAsync("staging");
        await staging.GetBlobClient("dam/a.mp4").UploadAsync(BinaryData.FromBytes(new byte[5]), overwrite: true);
        var sidecar = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).GetPreamble().Concat(Encoding.UTF8.GetBytes("{\"title\":\"Saved by Notepad\"}")).ToArray();
        await staging.GetBlobClient("dam/a.mp4" + UploadInstructions.SidecarSuffix).UploadAsync(BinaryData.FromBytes(sidecar), overwrite: true);

        var job = Assert.Single(await new UploadIntake(staging, Options, Vendors, new WorkflowSettings()).FromBlobAsync("dam/a.mp4"));

        Assert.Equal("Saved by Notepad", job.Details.Title);
    }

    [Fact]
    public async Task The_same_blob_version_always_gets_the_same_job_id_and_a_new_version_a_new_one()
    {
        var staging = await emulators.NewContainerAsync("staging");
        var blob = staging.GetBlobClient("dam/v.mp4");
        await blob.UploadAsync(BinaryData.FromBytes(new byte[5]), overwrite: true);
        var intake = new UploadIntake(staging, Options, Vendors, new WorkflowSettings());

        var first = (await intake.FromBlobAsync("dam/v.mp4"))[0].JobId;
        var again = (await intake.FromBlobAsync("dam/v.mp4"))[0].JobId;
        await blob.UploadAsync(BinaryData.FromBytes(new byte[6]), overwrite: true);
        var newVersion = (await intake.FromBlobAsync("dam/v.mp4"))[0].JobId;

        Assert.Equal(first, again);
        Assert.NotEqual(first, newVersion);
    }

    [Fact]
    public async Task Sidecars_and_error_reports_start_nothing()
    {
        var staging = await emulators.NewContainerAsync("staging");
        var intake = new UploadIntake(staging, Options, Vendors, new WorkflowSettings());

        Assert.Empty(await intake.FromBlobAsync("dam/a.mp4.upload.json"));
        Assert.Empty(await intake.FromBlobAsync("dam/a.mp4.error.json"));
    }

    [Fact]
    public void A_local_file_needs_to_exist_and_one_known_vendor()
    {
        var missing = Assert.Throws<IntakeException>(() => UploadIntake.ForLocalFile("/no/such/file.mp4", new UploadInstructions { Vendors = ["prepr"] }, Vendors, new WorkflowSettings()));
        Assert.Contains("/no/such/file.mp4: the file does not exist", missing.Message, StringComparison.Ordinal);

        var path = Path.GetTempFileName();
        try
        {
            var two = Assert.Throws<IntakeException>(() => UploadIntake.ForLocalFile(path, new UploadInstructions { Vendors = ["prepr", "panopto"] }, Vendors, new WorkflowSettings()));
            Assert.Contains("a local file goes to one vendor per run", two.Message, StringComparison.Ordinal);

            var job = UploadIntake.ForLocalFile(path, new UploadInstructions { Vendors = ["Prepr"], Title = "T" }, Vendors, new WorkflowSettings());
            Assert.Equal("prepr", job.Vendor);
            Assert.True(job.Source.IsLocalFile);
            Assert.Equal("T", job.Details.Title);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
