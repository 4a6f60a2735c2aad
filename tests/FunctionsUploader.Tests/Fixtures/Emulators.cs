using Azure.Storage.Blobs;
using FunctionsUploader.Simulators.Emulators;
using FunctionsUploader.Storage;

namespace FunctionsUploader.Tests.Fixtures;

/// <summary>
/// Azurite and s3rver, started once per test run on free loopback ports and shared by every test class.
/// They stop when the test process exits (and launch.js ends them if the process dies without exiting).
/// </summary>
public sealed class Emulators : IAsyncLifetime
{
    public const string S3Bucket = "uploads";

    private static readonly Lazy<Task<LocalEmulators>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private LocalEmulators? _emulators;

    public LocalEmulators Local => _emulators ?? throw new InvalidOperationException("The emulators fixture was not initialised.");

    /// <summary>Azurite's account with its well-known key, through the options the app uses (pinned service version).</summary>
    public BlobServiceClient Account => new(Local.BlobConnectionString, BlobClients.Options(maxRetries: 3));

    public async Task InitializeAsync() => _emulators = await Shared.Value;

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A new container with a unique name, so tests never see each other's blobs.</summary>
    public async Task<BlobContainerClient> NewContainerAsync(string prefix = "test")
    {
        var container = Account.GetBlobContainerClient($"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)]);
        await container.CreateIfNotExistsAsync();
        return container;
    }

    private static async Task<LocalEmulators> StartAsync()
    {
        var emulators = await LocalEmulators.StartAsync(EmulatorInstallation.Locate(), [S3Bucket]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => emulators.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return emulators;
    }
}
