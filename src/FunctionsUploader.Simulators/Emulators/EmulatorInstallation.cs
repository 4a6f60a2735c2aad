using System.Diagnostics;

namespace FunctionsUploader.Simulators.Emulators;

/// <summary>
/// The pinned npm packages of tests/emulators (package.json + package-lock.json). Installs them with
/// `npm ci` on first use, one process at a time, so a fresh clone needs nothing but Node.js and npm.
/// </summary>
public sealed class EmulatorInstallation
{
    private static readonly SemaphoreSlim InProcessGate = new(1, 1);

    public EmulatorInstallation(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>Finds tests/emulators by walking up from <paramref name="start"/> (default: the app's folder).</summary>
    public static EmulatorInstallation Locate(string? start = null)
    {
        var configured = Environment.GetEnvironmentVariable("FUNCTIONSUPLOADER_EMULATORS_DIR");
        if (!string.IsNullOrEmpty(configured))
        {
            return new EmulatorInstallation(configured);
        }

        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "emulators");
            if (File.Exists(Path.Combine(candidate, "package-lock.json")))
            {
                return new EmulatorInstallation(candidate);
            }
        }

        throw new DirectoryNotFoundException(
            "Could not find tests/emulators/package-lock.json above " + (start ?? AppContext.BaseDirectory) +
            ". Run from a clone of the repository or set FUNCTIONSUPLOADER_EMULATORS_DIR.");
    }

    public async Task EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        if (IsInstalled())
        {
            return;
        }

        await InProcessGate.WaitAsync(cancellationToken);
        try
        {
            // Another test run on the machine may be installing into the same folder: take a file lock.
            using var lockFile = await AcquireFileLockAsync(cancellationToken);
            if (IsInstalled())
            {
                return;
            }

            await RunNpmCiAsync(cancellationToken);
            if (!IsInstalled())
            {
                throw new InvalidOperationException($"npm ci in {Directory} finished but the emulators are still missing.");
            }
        }
        finally
        {
            InProcessGate.Release();
        }
    }

    private bool IsInstalled() =>
        File.Exists(Path.Combine(Directory, "node_modules", "azurite", "package.json")) &&
        File.Exists(Path.Combine(Directory, "node_modules", "s3rver", "package.json")) &&
        File.Exists(Path.Combine(Directory, "node_modules", ".package-lock.json"));

    private async Task<FileStream> AcquireFileLockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, ".install.lock");
        for (var waited = TimeSpan.Zero; ; waited += TimeSpan.FromMilliseconds(250))
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (waited < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    private async Task RunNpmCiAsync(CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("npm")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("npm was not found on PATH: install Node.js 20 or later to run the storage emulators.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"npm ci in {Directory} failed with exit code {process.ExitCode}:\n{await stdout}\n{await stderr}");
            }
        }
    }
}
