using FunctionsUploader.Simulators.Emulators;

namespace FunctionsUploader.Tests.Fixtures;

public sealed class EmulatorProcessTests
{
    [Fact]
    public async Task A_server_that_cannot_start_fails_with_its_own_output_about_why()
    {
        var notADirectory = Path.GetTempFileName();
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EmulatorProcess.StartAsync(
                EmulatorInstallation.Locate(), "s3rver", "s3rver", port => ["-d", notADirectory, "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)]));

            Assert.Contains("s3rver did not start", error.Message, StringComparison.Ordinal);
            Assert.Contains("--- output ---", error.Message, StringComparison.Ordinal);
            Assert.Contains("EEXIST", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(notADirectory);
        }
    }

    [Fact]
    public async Task Two_emulators_started_at_once_get_different_ports_and_stop_when_disposed()
    {
        var installation = EmulatorInstallation.Locate();
        var folder = Directory.CreateTempSubdirectory("functionsuploader-s3-").FullName;
        static Func<int, IEnumerable<string>> Args(string dir) => port => ["-d", dir, "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "--silent"];

        var first = await EmulatorProcess.StartAsync(installation, "s3rver", "s3rver", Args(Path.Combine(folder, "a")));
        var second = await EmulatorProcess.StartAsync(installation, "s3rver", "s3rver", Args(Path.Combine(folder, "b")));
        Assert.NotEqual(first.Port, second.Port);

        await first.DisposeAsync();
        await second.DisposeAsync();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync(first.BaseUri));
        Directory.Delete(folder, recursive: true);
    }
}
