using Azure;
using Azure.Storage.Blobs.Models;
using FunctionsUploader.Intake;
using FunctionsUploader.Storage;
using FunctionsUploader.Transfer;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Activities;

/// <summary>Opens a job's source for reading, pinned to the version the job was started for.</summary>
public sealed class JobSources(IServiceProvider services)
{
    public async Task<ITransferSource> OpenAsync(SourceRef source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.IsLocalFile)
        {
            if (!File.Exists(source.Name))
            {
                throw new PermanentFailureException($"{source.Name}: the file no longer exists.");
            }

            return new FileTransferSource(source.Name);
        }

        // Resolved only for staging sources, so a CLI run on local files needs no storage account.
        var staging = (StagingAccount)(services.GetService(typeof(StagingAccount)) ?? throw new InvalidOperationException("No staging account is configured."));
        var blob = staging.Container(source.Container).GetBlobClient(source.Name);
        try
        {
            var conditions = source.ETag is null ? null : new BlobRequestConditions { IfMatch = new ETag(source.ETag) };
            var properties = (await BlobErrors.RunAsync("Get Blob Properties", blob, () => blob.GetPropertiesAsync(conditions, cancellationToken))).Value;
            return new BlobTransferSource(blob, properties.ContentLength, properties.ETag.ToString("H"), staging.Delegation);
        }
        catch (BlobStorageException e) when (e.Status is 404 or 412)
        {
            throw new PermanentFailureException(e.Status == 404
                ? $"{source}: the file is no longer in staging."
                : $"{source}: the file was replaced after the job started; the new version gets its own job.");
        }
    }
}
