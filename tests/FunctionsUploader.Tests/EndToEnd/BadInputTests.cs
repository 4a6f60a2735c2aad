using System.Text;
using FunctionsUploader.Activities;
using FunctionsUploader.Intake;
using FunctionsUploader.Workflow;
using FunctionsUploader.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsUploader.Tests.EndToEnd;

/// <summary>
/// Bad input through the real start path and the real activities: each ends in a clear terminal state with a
/// specific reason, and the source is never lost (it stays where it was, or moves to failed/ with the reason).
/// </summary>
public sealed class BadInputTests(JobWorld world) : IClassFixture<JobWorld>, IDisposable
{
    private const long GB = 1000L * 1000 * 1000;

    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-bad-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>How a case enters: a blob event in staging, an HTTP-style request, or a local file (the CLI).</summary>
    public enum Entry
    {
        Event,
        Request,
        LocalFile,
    }

    public static TheoryData<string, Entry, string, long, string?, string?, string> Cases => new()
    {
        // case, entry, file name, size, sidecar or request JSON, settings override "key=value", expected error text
        { "no route and no sidecar", Entry.Event, "loose/a.mp4", 10, null, null, "no route matches this path" },
        { "unknown vendor", Entry.Event, "mv/a.mp4", 10, "{\"vendors\":[\"youtube\"]}", null, "unknown vendor 'youtube'" },
        { "unknown sidecar field", Entry.Event, "mv/a.mp4", 10, "{\"titel\":\"typo\"}", null, "unknown field 'titel'" },
        { "sidecar not JSON", Entry.Event, "mv/a.mp4", 10, "title: x", null, "is not valid JSON" },
        { "sidecar field of the wrong type", Entry.Event, "mv/a.mp4", 10, "{\"title\":7}", null, "field 'title' must be a string, not a number" },
        { "categories not a list", Entry.Event, "mv/a.mp4", 10, "{\"categories\":\"x\"}", null, "field 'categories' must be an array of strings" },
        { "date that is not a date", Entry.Event, "mv/a.mp4", 10, "{\"recordedAt\":\"soon\"}", null, "field 'recordedAt' must be a date" },
        { "empty sidecar", Entry.Event, "mv/a.mp4", 10, string.Empty, null, "is empty" },
        { "job id with a slash", Entry.Event, "mv/a.mp4", 10, "{\"jobId\":\"a/b\"}", null, "the job id may hold only" },
        { "title too long", Entry.Event, "mv/a.mp4", 10, "{\"title\":\"" + new string('x', 501) + "\"}", null, "at most 500 are allowed" },
        { "path traversal in the source", Entry.Request, "mv/a.mp4", 10, "{\"source\":\"mv/../secrets.mp4\",\"vendors\":[\"mediavalet\"]}", null, "path traversal is not allowed" },
        { "source missing", Entry.Request, "mv/a.mp4", 10, "{\"source\":\"mv/none.mp4\",\"vendors\":[\"mediavalet\"]}", null, "the file does not exist in the staging container" },
        { "empty vendor list in a request", Entry.Request, "mv/a.mp4", 10, "{\"source\":\"mv/a.mp4\",\"vendors\":[]}", null, "the list of vendors is empty" },
        { "empty vendor list in a sidecar", Entry.Event, "loose/a.mp4", 10, "{\"vendors\":[]}", null, "the list of vendors is empty" },
        { "request without a source", Entry.Request, "mv/a.mp4", 10, "{\"vendors\":[\"mediavalet\"]}", null, "field 'source' is required" },
        { "empty file to Picovico", Entry.Event, "pv/empty.mp4", 0, "{\"vendors\":[\"picovico\"]}", null, "empty" },
        { "empty file to Prepr", Entry.Event, "pr/empty.mp4", 0, "{\"vendors\":[\"prepr\"]}", null, "empty" },
        { "empty file to Panopto", Entry.Event, "pa/empty.mp4", 0, "{\"vendors\":[\"panopto\"]}", null, "empty" },
        { "not a video for Picovico", Entry.Event, "pv/notes.txt", 10, "{\"vendors\":[\"picovico\"]}", null, "Picovico takes videoclips only" },
        { "an XML file for Panopto", Entry.Event, "pa/notes.xml", 10, "{\"vendors\":[\"panopto\"]}", null, "manifest" },
        { "too large for MediaValet", Entry.LocalFile, "huge.mp4", 201 * GB, "{\"vendors\":[\"mediavalet\"]}", null, "MediaValet takes files of at most 200 GB" },
        { "too large for Picovico", Entry.LocalFile, "huge.mp4", 60 * GB, "{\"vendors\":[\"picovico\"]}", null, "10,000" },
        { "too large for Panopto", Entry.LocalFile, "huge.mp4", 300 * GB, "{\"vendors\":[\"panopto\"]}", null, "10,000" },
        { "category that is not a MediaValet id", Entry.Event, "mv/a.mp4", 10, "{\"categories\":[\"news\"]}", null, "MediaValet takes categories by id" },
        { "status MediaValet does not have", Entry.Event, "mv/a.mp4", 10, "{\"status\":\"published\"}", null, "status" },
        { "Panopto folder that is not a GUID", Entry.Event, "pa/a.mp4", 10, "{\"vendors\":[\"panopto\"],\"folder\":\"Lectures\"}", null, "GUID" },
        { "expired MediaValet password", Entry.Event, "mv/a.mp4", 10, null, "Uploader:Vendors:MediaValet:Password=changed-last-week", "MediaValet token request (password grant) answered 400 BadRequest: invalid_grant: The username or password is wrong" },
        { "revoked Prepr token", Entry.Event, "pr/a.mp4", 10, "{\"vendors\":[\"prepr\"]}", "Uploader:Vendors:Prepr:AccessToken=revoked", "check the credentials" },
        { "wrong Panopto client secret", Entry.Event, "pa/a.mp4", 10, "{\"vendors\":[\"panopto\"]}", "Uploader:Vendors:Panopto:ClientSecret=wrong", "check the credentials" },
        { "wrong Picovico password", Entry.Event, "pv/a.mp4", 10, "{\"vendors\":[\"picovico\"]}", "Uploader:Vendors:Picovico:Password=wrong", "check the credentials" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_ends_in_a_clear_failure_and_the_source_is_kept(string @case, Entry entry, string fileName, long size, string? json, string? setting, string expected)
    {
        var overrides = setting is null ? null : new Dictionary<string, string?> { [setting.Split('=')[0]] = setting.Split('=', 2)[1] };
        await using var host = await world.HostAsync(_folder, overrides);

        var (reason, sourceKept) = entry switch
        {
            Entry.LocalFile => await RunLocalAsync(host, fileName, size, json!),
            _ => await RunInStagingAsync(host, entry, fileName, size, json),
        };

        Assert.True(reason is not null, $"{@case}: no failure was reported");
        Assert.True(reason.Contains(expected, StringComparison.Ordinal), $"{@case}: expected '{expected}' in: {reason}");
        Assert.DoesNotContain("   at ", reason, StringComparison.Ordinal);
        Assert.True(sourceKept, $"{@case}: the source is gone");
    }

    private static async Task<(string? Reason, bool SourceKept)> RunLocalAsync(JobHost host, string fileName, long size, string json)
    {
        var path = Path.Combine(Path.GetDirectoryName(host.Configuration["Uploader:JobStore:Directory"])!, fileName);
        await using (var file = File.Create(path))
        {
            file.SetLength(size); // Sparse: the vendor's refusal must come before any byte is read.
        }

        var instructions = UploadInstructions.ParseRequest(Encoding.UTF8.GetBytes(json));
        var job = UploadIntake.ForLocalFile(path, instructions, host.Services.GetRequiredService<FunctionsUploader.Vendors.VendorConnectors>().Names, host.Settings);
        var result = await host.RunAsync(job);
        var kept = File.Exists(path) && new FileInfo(path).Length == size;
        File.Delete(path);
        return (result.Failure?.Reason, kept && result.Outcome == UploadOutcome.Failed);
    }

    private static async Task<(string? Reason, bool SourceKept)> RunInStagingAsync(JobHost host, Entry entry, string fileName, long size, string? json)
    {
        var staging = host.Staging.Staging;
        await staging.GetBlobClient(fileName).UploadAsync(BinaryData.FromBytes(new byte[size]), overwrite: true);
        if (entry == Entry.Event && json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            await staging.GetBlobClient(fileName + UploadInstructions.SidecarSuffix).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
        }

        string? reason;
        if (entry == Entry.Request)
        {
            try
            {
                await host.Intake.FromRequestAsync(UploadInstructions.ParseRequest(Encoding.UTF8.GetBytes(json!)));
                reason = null;
            }
            catch (IntakeException e)
            {
                reason = e.Message;
            }
        }
        else
        {
            var durable = new DurableStarter(host.App.Client);
            var starter = new UploadStarter(host.Intake, durable, host.Services.GetRequiredService<ArchiveActivity>());
            var started = Assert.Single(await starter.FromBlobEventAsync(fileName));
            reason = started.Outcome == StartOutcome.Rejected
                ? started.Reason
                : (await host.App.CompletionAsync(started.JobId!)).Result.Failure?.Reason;
        }

        // Kept means: still in staging, or moved whole to failed/ beside an error report.
        var inStaging = await staging.GetBlobClient(fileName).ExistsAsync();
        var inFailed = await host.Staging.Failed.GetBlobClient(fileName).ExistsAsync()
            && await host.Staging.Failed.GetBlobClient(fileName + BlobNames.ErrorReportSuffix).ExistsAsync();
        return (reason, inStaging || inFailed);
    }
}
