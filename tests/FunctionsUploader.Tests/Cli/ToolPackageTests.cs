using System.Text.Json;
using FunctionsUploader.Cli;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.Cli;

/// <summary>
/// `dotnet pack` makes the `uploader` tool; installed from the package into a temporary tool path and run from a
/// temporary folder (no clone anywhere above it, an empty cache), it installs its pinned emulators and runs the
/// sandbox job for every vendor.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-tool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_packed_tool_installed_outside_a_clone_runs_the_sandbox_for_every_vendor()
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var packages = Path.Combine(_folder, "packages");
        var tools = Path.Combine(_folder, "tools");
        var work = Directory.CreateDirectory(Path.Combine(_folder, "work")).FullName;
        var environment = new Dictionary<string, string>
        {
            ["XDG_CACHE_HOME"] = Directory.CreateDirectory(Path.Combine(_folder, "cache")).FullName,
            ["FUNCTIONSUPLOADER_EMULATORS_DIR"] = string.Empty,
            ["DOTNET_ROOT"] = Path.GetDirectoryName(Path.GetFullPath(dotnet)) ?? string.Empty,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };

        // The tool runs as on a new machine: its own home and cache (pack and install keep the machine's NuGet folders).
        var fresh = new Dictionary<string, string>(environment) { ["HOME"] = Directory.CreateDirectory(Path.Combine(_folder, "home")).FullName };

        await RunAsync(dotnet, work, environment, "pack", Path.Combine(TestData.RepositoryRoot(), "src", "FunctionsUploader.Cli"), "-c", "Release", "-o", packages);
        await RunAsync(dotnet, work, environment, "tool", "install", "FunctionsUploader.Cli", "--tool-path", tools, "--add-source", packages);
        var uploader = Path.Combine(tools, OperatingSystem.IsWindows() ? "uploader.exe" : "uploader");

        var file = Path.Combine(work, "clip.mp4");
        var data = TestData.Bytes((6 * 1024 * 1024) + 11, seed: 9);
        await File.WriteAllBytesAsync(file, data);
        foreach (var vendor in new[] { "mediavalet", "picovico", "prepr", "panopto" })
        {
            var stdout = await RunAsync(uploader, work, fresh, "upload", "clip.mp4", "--vendor", vendor, "--sandbox", "--json");
            var result = JsonSerializer.Deserialize<UploadResult>(stdout, WorkflowJson.Options)!;
            Assert.Equal(UploadOutcome.Completed, result.Outcome);
            Assert.Equal(TestData.Md5Hex(data), result.SourceMd5);
            Assert.Equal(result.SourceMd5, result.DestinationMd5);
        }

        using var missing = CliProcess.StartExecutable(uploader, work, fresh, "upload", "no-such.mp4", "--vendor", "prepr");
        var (exit, _, stderr) = await missing.WaitAsync();
        Assert.Equal(UploaderCli.BadInput, exit);
        Assert.Contains("no such local file", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(string executable, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = CliProcess.StartExecutable(executable, workingDirectory, environment, args);
        var (exit, stdout, stderr) = await process.WaitAsync();
        Assert.True(exit == 0, $"{Path.GetFileName(executable)} {string.Join(' ', args)}: exit {exit}\n{stderr}\n{stdout}");
        return stdout;
    }
}
