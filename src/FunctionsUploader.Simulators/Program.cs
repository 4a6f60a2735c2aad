using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Emulators;

// By hand: dotnet run --project src/FunctionsUploader.Simulators -- --urls http://127.0.0.1:5080
// With no Simulator:BlobConnectionString / Simulator:S3Endpoint configured, it starts its own Azurite and s3rver.
var builder = WebApplication.CreateBuilder(args);
var options = builder.Configuration.GetSection(SimulatorOptions.SectionName).Get<SimulatorOptions>() ?? new SimulatorOptions();

LocalEmulators? emulators = null;
if (options.BlobConnectionString is null || options.S3Endpoint is null)
{
    emulators = await LocalEmulators.StartAsync(EmulatorInstallation.Locate(), [options.S3Bucket]);
    options.BlobConnectionString ??= emulators.BlobConnectionString;
    options.S3Endpoint ??= emulators.S3Endpoint;
}

try
{
    builder.AddSimulators(options);
    var app = builder.Build();
    app.MapSimulators();
    if (emulators is not null)
    {
        Logs.StartedEmulators(app.Logger, emulators.BlobEndpoint, emulators.S3Endpoint);
    }

    await app.PrepareStorageAsync(CancellationToken.None);
    await app.StartAsync();
    foreach (var address in app.Urls)
    {
        Logs.Started(app.Logger, new Uri(address));
    }

    await app.WaitForShutdownAsync();
}
finally
{
    if (emulators is not null)
    {
        await emulators.DisposeAsync();
    }
}
