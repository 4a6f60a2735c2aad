namespace FunctionsUploader.Simulators.Emulators;

/// <summary>Azurite (blob only) and s3rver started together on free loopback ports, with their data in a temp folder.</summary>
public sealed class LocalEmulators : IAsyncDisposable
{
    /// <summary>The account and key every Azurite accepts (documented by Azurite; not a secret).</summary>
    public const string AzuriteAccountName = "devstoreaccount1";
    public const string AzuriteAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>s3rver's fixed credentials (it checks no signatures).</summary>
    public const string S3AccessKey = "S3RVER";
    public const string S3SecretKey = "S3RVER";

    private readonly string _dataRoot;

    private LocalEmulators(EmulatorProcess azurite, EmulatorProcess s3, string dataRoot)
    {
        Azurite = azurite;
        S3 = s3;
        _dataRoot = dataRoot;
    }

    public EmulatorProcess Azurite { get; }

    public EmulatorProcess S3 { get; }

    public Uri BlobEndpoint => new(Azurite.BaseUri, AzuriteAccountName);

    public string BlobConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteAccountName};AccountKey={AzuriteAccountKey};BlobEndpoint={BlobEndpoint};";

    public Uri S3Endpoint => S3.BaseUri;

    public static async Task<LocalEmulators> StartAsync(EmulatorInstallation installation, IEnumerable<string> s3Buckets, CancellationToken cancellationToken = default)
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "functionsuploader-emulators-" + Guid.NewGuid().ToString("N")[..12]);
        var azuriteData = Directory.CreateDirectory(Path.Combine(dataRoot, "azurite")).FullName;
        var s3Data = Directory.CreateDirectory(Path.Combine(dataRoot, "s3")).FullName;
        var buckets = s3Buckets.ToArray();

        var azuriteStart = EmulatorProcess.StartAsync(installation, "azurite", "azurite-blob", port =>
            ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture),
             "--disableTelemetry", "--silent", "--location", azuriteData],
            cancellationToken: cancellationToken,
            dataDirectory: azuriteData);
        var s3Start = EmulatorProcess.StartAsync(installation, "s3rver", "s3rver", port =>
            ["-d", s3Data, "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "--silent", "--no-vhost-buckets",
             .. buckets.SelectMany(b => new[] { "--configure-bucket", b })],
            cancellationToken: cancellationToken,
            dataDirectory: s3Data);

        try
        {
            await Task.WhenAll(azuriteStart, s3Start);
        }
        catch
        {
            await DisposeStartedAsync(azuriteStart);
            await DisposeStartedAsync(s3Start);
            TryDelete(dataRoot);
            throw;
        }

        return new LocalEmulators(await azuriteStart, await s3Start, dataRoot);
    }

    public async ValueTask DisposeAsync()
    {
        await Azurite.DisposeAsync();
        await S3.DisposeAsync();
        TryDelete(_dataRoot);
    }

    private static async Task DisposeStartedAsync(Task<EmulatorProcess> start)
    {
        if (start.IsCompletedSuccessfully)
        {
            await start.Result.DisposeAsync();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
