namespace FunctionsUploader.Simulators.Emulators;

/// <summary>
/// A whole Azurite (blob, queue and table) on free loopback ports, keeping its data in a folder that outlives it:
/// a storage account for the Durable Task Framework's state that a later process picks up again.
/// </summary>
public sealed class AzuriteAccount : IAsyncDisposable
{
    private AzuriteAccount(EmulatorProcess process)
    {
        Process = process;
    }

    public EmulatorProcess Process { get; }

    /// <summary>The well-known development account, with an endpoint for each of the three services.</summary>
    public string ConnectionString => ConnectionStringFor(Process.Ports[0], Process.Ports[1], Process.Ports[2]);

    /// <summary>Starts Azurite over <paramref name="location"/> (created when missing; never deleted).</summary>
    public static async Task<AzuriteAccount> StartAsync(EmulatorInstallation installation, string location, CancellationToken cancellationToken = default)
    {
        var data = Directory.CreateDirectory(location).FullName;
        var process = await EmulatorProcess.StartAsync(installation, "azurite", "azurite", portCount: 3, ports =>
            ["--blobHost", "127.0.0.1", "--blobPort", Invariant(ports[0]),
             "--queueHost", "127.0.0.1", "--queuePort", Invariant(ports[1]),
             "--tableHost", "127.0.0.1", "--tablePort", Invariant(ports[2]),
             // The Durable Task Framework's storage clients pick their own service versions.
             "--skipApiVersionCheck", "--disableTelemetry", "--silent", "--location", data],
            cancellationToken: cancellationToken);
        return new AzuriteAccount(process);
    }

    /// <summary>The connection string of an Azurite serving blob, queue and table on these loopback ports.</summary>
    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={LocalEmulators.AzuriteAccountName};AccountKey={LocalEmulators.AzuriteAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{Invariant(blobPort)}/{LocalEmulators.AzuriteAccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{Invariant(queuePort)}/{LocalEmulators.AzuriteAccountName};" +
        $"TableEndpoint=http://127.0.0.1:{Invariant(tablePort)}/{LocalEmulators.AzuriteAccountName};";

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static string Invariant(int port) => port.ToString(CultureInfo.InvariantCulture);
}
