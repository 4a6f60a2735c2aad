using System.Text.Json;
using FunctionsUploader.Simulators.Emulators;

namespace FunctionsUploader.Cli.Engine;

/// <summary>
/// The storage account that holds the engine's state: the configured one, or a local Azurite over the state folder.
/// One process at a time owns the local Azurite (a lock file says which); another process that only reads or
/// cancels uses the owner's Azurite through the endpoints it published, and never starts a second one over the
/// same folder. An owner that only reads holds the folder for a moment: a process that runs jobs waits for it.
/// </summary>
internal sealed class StateAccount : IAsyncDisposable
{
    private static readonly TimeSpan OwnerStartWait = TimeSpan.FromSeconds(60);

    private readonly AzuriteAccount? _azurite;
    private readonly FileStream? _lock;
    private readonly string? _endpointsFile;

    private StateAccount(string connectionString, bool ownsState, AzuriteAccount? azurite, FileStream? ownerLock, string? endpointsFile)
    {
        ConnectionString = connectionString;
        OwnsState = ownsState;
        _azurite = azurite;
        _lock = ownerLock;
        _endpointsFile = endpointsFile;
    }

    public string ConnectionString { get; }

    /// <summary>This process may run the engine's worker: it owns the local Azurite, or the account is a configured one.</summary>
    public bool OwnsState { get; }

    /// <summary>This process started the local Azurite, and holds the state folder until it lets the account go.</summary>
    public bool HoldsFolder => _azurite is not null;

    /// <summary>
    /// Opens the state account. With <paramref name="exclusive"/> (the process will run jobs) a local Azurite owned by
    /// another process is refused with the owner's process id.
    /// </summary>
    public static async Task<StateAccount> OpenAsync(CliOptions options, string stateDirectory, bool exclusive, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.StateStorage))
        {
            return new StateAccount(options.StateStorage, ownsState: true, null, null, null);
        }

        var lockPath = Path.Combine(stateDirectory, "azurite.lock");
        var endpointsFile = Path.Combine(stateDirectory, "azurite.json");
        var ownerLock = TryLock(lockPath);
        if (ownerLock is null)
        {
            var owner = await ReadOwnerAsync(endpointsFile, cancellationToken);
            if (!exclusive)
            {
                return new StateAccount(AzuriteAccount.ConnectionStringFor(owner.BlobPort, owner.QueuePort, owner.TablePort), ownsState: false, null, null, null);
            }

            // A process that only reads (status, jobs) started the emulator and lets it go in a moment: wait for that.
            ownerLock = owner.RunsJobs ? null : await WaitForLockAsync(lockPath, cancellationToken);
            if (ownerLock is null)
            {
                throw new SetupException(
                    $"another uploader process (pid {owner.ProcessId}) is running jobs from {stateDirectory}; " +
                    $"wait for it to end, or give this one another folder ({CliOptions.Section}:StateDirectory).");
            }
        }

        try
        {
            await WaitForPreviousOwnerAsync(endpointsFile, cancellationToken);
            var azurite = await AzuriteAccount.StartAsync(EmulatorInstallation.Locate(), Path.Combine(stateDirectory, "azurite"), cancellationToken);
            var ports = azurite.Process.Ports;
            var published = new AzuriteOwner(Environment.ProcessId, azurite.Process.ProcessId, ports[0], ports[1], ports[2], RunsJobs: exclusive);
            await File.WriteAllTextAsync(endpointsFile, JsonSerializer.Serialize(published), cancellationToken);
            return new StateAccount(azurite.ConnectionString, ownsState: true, azurite, ownerLock, endpointsFile);
        }
        catch
        {
            await ownerLock.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_endpointsFile is not null)
        {
            File.Delete(_endpointsFile);
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        if (_lock is not null)
        {
            await _lock.DisposeAsync();
        }
    }

    private static async Task<AzuriteOwner> ReadOwnerAsync(string endpointsFile, CancellationToken cancellationToken)
    {
        // The owner publishes its endpoints once its Azurite answers: give a starting owner that long.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (JsonSerializer.Deserialize<AzuriteOwner>(await File.ReadAllTextAsync(endpointsFile, cancellationToken)) is { } owner)
                {
                    return owner;
                }
            }
            catch (Exception e) when (e is IOException or JsonException && waited.Elapsed < OwnerStartWait)
            {
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                throw new SetupException($"another uploader process holds {endpointsFile}'s folder but has not published its storage endpoints; try again when it has ended.", e);
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>
    /// A killed owner leaves its endpoints file behind, and its Azurite still saving its data for a moment (the
    /// launcher stops it when the owner is gone): a second Azurite over the same folder must not start before it ends.
    /// </summary>
    private static async Task WaitForPreviousOwnerAsync(string endpointsFile, CancellationToken cancellationToken)
    {
        AzuriteOwner? previous;
        try
        {
            previous = JsonSerializer.Deserialize<AzuriteOwner>(await File.ReadAllTextAsync(endpointsFile, cancellationToken));
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return;
        }

        if (previous is null)
        {
            return;
        }

        try
        {
            using var launcher = System.Diagnostics.Process.GetProcessById(previous.LauncherProcessId);
            if (launcher.ProcessName != "node")
            {
                return; // The id went to another program since.
            }

            await launcher.WaitForExitAsync(cancellationToken).WaitAsync(OwnerStartWait, cancellationToken);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (TimeoutException)
        {
            throw new SetupException($"the storage emulator of an earlier uploader process (pid {previous.LauncherProcessId}) is still running over {Path.GetDirectoryName(endpointsFile)}; end it and try again.");
        }
    }

    /// <summary>The lock on the state folder, or null when another process holds it.</summary>
    private static FileStream? TryLock(string lockPath)
    {
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<FileStream?> WaitForLockAsync(string lockPath, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < OwnerStartWait)
        {
            await Task.Delay(250, cancellationToken);
            if (TryLock(lockPath) is { } taken)
            {
                return taken;
            }
        }

        return null;
    }

    /// <param name="RunsJobs">The owner runs the engine's worker; otherwise it only reads and lets the folder go soon.</param>
    private sealed record AzuriteOwner(int ProcessId, int LauncherProcessId, int BlobPort, int QueuePort, int TablePort, bool RunsJobs);
}
