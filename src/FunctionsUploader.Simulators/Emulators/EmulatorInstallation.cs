using System.Diagnostics;

namespace FunctionsUploader.Simulators.Emulators;

/// <summary>
/// The pinned npm packages of tests/emulators (package.json + package-lock.json). Installs them with
/// `npm ci` on first use, one process at a time, so a fresh clone (or a machine with only the `uploader` tool)
/// needs nothing but Node.js and npm.
/// </summary>
public sealed class EmulatorInstallation
{
    /// <summary>The folder beside the app that holds the pinned package.json, package-lock.json and launch.js.</summary>
    public const string ShippedFolder = "emulators";

    private static readonly SemaphoreSlim InProcessGate = new(1, 1);

    public EmulatorInstallation(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>
    /// Where the emulators are: FUNCTIONSUPLOADER_EMULATORS_DIR when set; else tests/emulators of the clone above
    /// <paramref name="start"/> (default: the app's folder); else the pinned copy shipped beside the app (the
    /// `uploader` tool), staged into the user's cache (XDG_CACHE_HOME, or ~/.cache) where it is installed once.
    /// </summary>
    /// <exception cref="EmulatorsUnavailableException">None of them exists.</exception>
    public static EmulatorInstallation Locate(string? start = null)
    {
        var configured = Environment.GetEnvironmentVariable("FUNCTIONSUPLOADER_EMULATORS_DIR");
        if (!string.IsNullOrEmpty(configured))
        {
            return new EmulatorInstallation(configured);
        }

        var from = start ?? AppContext.BaseDirectory;
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "emulators");
            if (IsPinned(candidate))
            {
                return new EmulatorInstallation(candidate);
            }
        }

        var shipped = Path.Combine(AppContext.BaseDirectory, ShippedFolder);
        if (IsPinned(shipped) && File.Exists(Path.Combine(shipped, "launch.js")))
        {
            return new EmulatorInstallation(StageInCache(shipped));
        }

        throw new EmulatorsUnavailableException(
            $"The pinned storage emulators were not found (no tests/emulators above {from}, none shipped in {shipped}); " +
            "set FUNCTIONSUPLOADER_EMULATORS_DIR to a folder with their package.json and package-lock.json.");
    }

    private static bool IsPinned(string directory) =>
        File.Exists(Path.Combine(directory, "package.json")) && File.Exists(Path.Combine(directory, "package-lock.json"));

    /// <summary>
    /// Copies the shipped files into a cache folder named by their hash, so every version of the tool installs its
    /// own pins once and two versions never share node_modules. The copy is moved into place whole.
    /// </summary>
    private static string StageInCache(string shipped)
    {
        string[] files = ["package.json", "package-lock.json", "launch.js"];
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            files.SelectMany(f => File.ReadAllBytes(Path.Combine(shipped, f))).ToArray()))[..12];
        var target = Path.Combine(CacheRoot(), $"emulators-{hash}");
        if (System.IO.Directory.Exists(target))
        {
            return target;
        }

        var staging = System.IO.Directory.CreateDirectory($"{target}.{Environment.ProcessId}.tmp").FullName;
        try
        {
            foreach (var file in files)
            {
                File.Copy(Path.Combine(shipped, file), Path.Combine(staging, file), overwrite: true);
            }

            System.IO.Directory.Move(staging, target);
        }
        catch (IOException) when (System.IO.Directory.Exists(target))
        {
            // Another process staged the same pins first.
            System.IO.Directory.Delete(staging, recursive: true);
        }

        return target;
    }

    private static string CacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg
            : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return System.IO.Directory.CreateDirectory(Path.Combine(root, "functionsuploader")).FullName;
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
                throw new EmulatorsUnavailableException($"npm ci in {Directory} finished but the emulators are still missing.");
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
            throw new EmulatorsUnavailableException("npm was not found on PATH: install Node.js 20 or later to run the storage emulators.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new EmulatorsUnavailableException(
                    $"npm ci in {Directory} failed with exit code {process.ExitCode}:\n{await stdout}\n{await stderr}");
            }
        }
    }
}
