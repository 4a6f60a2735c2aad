using FunctionsUploader.Cli;

namespace FunctionsUploader.Tests.Cli;

public sealed class CliUsageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string[], string> BadUsage => new()
    {
        { ["upload", "x.mp4"], "Option '--vendor' is required." },
        { ["upload"], "Required argument missing for command: 'upload'." },
        { ["teleport"], "Unrecognized command or argument 'teleport'." },
        { ["upload", "/no/such/file.mp4", "--vendor", "prepr"], "no such local file, and no staging account is configured" },
        { ["upload", "{file}", "--vendor", "youtube"], "unknown vendor 'youtube' (configured: mediavalet, prepr)" },
        { ["upload", "{file}", "--vendor", "prepr", "--vendor", "mediavalet"], "a local file goes to one vendor per run" },
        { ["upload", "{file}", "--vendor", "prepr", "--metadata", "novalue"], "'novalue' is not key=value" },
        { ["upload", "{file}", "--vendor", "prepr", "--job-id", "a/b"], "the job id may hold only letters, digits" },
        { ["upload", "{file}", "{file}", "--vendor", "prepr", "--job-id", "mine"], "--job-id: names one job, but 2 sources were given; give one source with it" },
        { ["upload", "{file}", "{file}", "--vendor", "prepr"], "two of the sources given make this same job (the same file twice?); give each file once" },
        { ["resume", "never-started"], "never-started: no job with this id was started" },
        { ["status", "never-started"], "never-started: no job with this id has run here" },
        { ["status"], "no jobs have run here yet" },
        { ["jobs", "--config", "/no/such/uploader.json"], "the file does not exist" },
        { ["jobs", "--created-since", "yesterday"], "--created-since: 'yesterday' is not a date and time (ISO 8601" },
        { ["jobs", "--runtime-status", "Running,Stuck"], "--runtime-status: 'Stuck' is not one of" },
    };

    [Theory]
    [MemberData(nameof(BadUsage))]
    public async Task Bad_usage_exits_with_2_and_a_message_that_names_the_problem(string[] args, string expected)
    {
        var file = Path.Combine(_folder, "clip one.mp4");
        await File.WriteAllBytesAsync(file, new byte[100]);
        var config = Path.Combine(_folder, "uploader.json");
        await File.WriteAllTextAsync(config, $$"""
            { "Uploader": { "Cli": { "StateDirectory": "{{_folder.Replace("\\", "\\\\", StringComparison.Ordinal)}}/state" },
                            "Vendors": { "MediaValet": { }, "Prepr": { } } } }
            """);
        var withConfig = args.Select(a => a == "{file}" ? file : a).ToList();
        if (!withConfig.Contains("--config"))
        {
            withConfig.AddRange(["--config", config]);
        }

        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await UploaderCli.RunAsync([.. withConfig], output, errors);

        Assert.Equal(UploaderCli.BadInput, exit);
        Assert.Contains(expected, errors.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(file));
    }
}
