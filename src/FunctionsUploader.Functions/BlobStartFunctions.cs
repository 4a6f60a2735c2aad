using Azure.Storage.Blobs;
using FunctionsUploader.Activities;
using FunctionsUploader.Intake;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Functions;

/// <summary>
/// Starts jobs for files dropped into staging. The Event Grid trigger is the one Flex Consumption runs; the polling
/// trigger is for local runs on Azurite (which emulates no Event Grid). Choose one by disabling the other with the
/// app setting AzureWebJobs.&lt;function&gt;.Disabled. Both bind a BlobClient, which never downloads the content.
/// </summary>
public sealed class BlobStartFunctions(UploadIntake intake, ArchiveActivity archive, ILogger<BlobStartFunctions> logger)
{
    public const string EventGridFunction = "StartFromBlobEvent";
    public const string PollingFunction = "StartFromBlobPolling";

    /// <summary>The app setting (connection string, or StagingStorage__blobServiceUri for a managed identity) the triggers watch.</summary>
    public const string StagingConnection = "StagingStorage";

    [Function(EventGridFunction)]
    public Task OnBlobEvent(
        [BlobTrigger("%Uploader:Staging:Container%/{name}", Source = BlobTriggerSource.EventGrid, Connection = StagingConnection)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) => StartAsync(name, client, cancellationToken);

    [Function(PollingFunction)]
    public Task OnBlobPolled(
        [BlobTrigger("%Uploader:Staging:Container%/{name}", Source = BlobTriggerSource.LogsAndContainerScan, Connection = StagingConnection)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) => StartAsync(name, client, cancellationToken);

    private async Task StartAsync(string name, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var starter = new UploadStarter(intake, new DurableStarter(client), archive);
        foreach (var started in await starter.FromBlobEventAsync(name, cancellationToken))
        {
            Logs.BlobStart(logger, name, started.JobId ?? "-", started.Vendor ?? "-", started.Outcome.ToString(), started.Reason ?? string.Empty);
        }
    }
}
