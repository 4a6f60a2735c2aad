using Azure.Identity;
using FunctionsUploader.Storage;

namespace FunctionsUploader.Intake;

/// <summary>The staging storage account and its containers, from <see cref="StagingOptions"/>.</summary>
public sealed class StagingAccount
{
    public StagingAccount(StagingOptions options, BlobClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Account = !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? BlobAccount.FromConnectionString(options.ConnectionString, clientOptions)
            : options.BlobEndpoint is { } endpoint
                ? BlobAccount.FromTokenCredential(endpoint, new DefaultAzureCredential(), clientOptions)
                : throw new InvalidOperationException("Set Uploader:Staging:ConnectionString, or Uploader:Staging:BlobEndpoint for a managed identity.");
        Staging = Account.GetContainerClient(options.Container);
        Processed = Account.GetContainerClient(options.ProcessedContainer);
        Failed = Account.GetContainerClient(options.FailedContainer);
        Jobs = Account.GetContainerClient(options.JobsContainer);
    }

    public BlobAccount Account { get; }

    public IBlobContainerClient Staging { get; }

    public IBlobContainerClient Processed { get; }

    public IBlobContainerClient Failed { get; }

    public IBlobContainerClient Jobs { get; }

    public IBlobContainerClient Container(string name) => Account.GetContainerClient(name);
}
