using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using FunctionsUploader.Storage;

namespace FunctionsUploader.Intake;

/// <summary>
/// The staging storage account and its containers, from <see cref="StagingOptions"/>. In Azure it is reached
/// with the app's managed identity (<see cref="StagingOptions.BlobEndpoint"/>, no key anywhere), and server-side
/// copies read the source through user delegation SAS URLs; a connection string serves Azurite and users who
/// want one.
/// </summary>
public sealed class StagingAccount
{
    /// <summary>SDK retries for staging reads and archive moves: transient faults and broken download bodies resume here.</summary>
    public const int MaxRetries = 3;

    public StagingAccount(StagingOptions options, BlobClientOptions? clientOptions = null, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        clientOptions ??= BlobClients.Options(MaxRetries);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            Service = new BlobServiceClient(options.ConnectionString, clientOptions);
        }
        else if (options.BlobEndpoint is { } endpoint)
        {
            if (endpoint.Scheme != Uri.UriSchemeHttps)
            {
                // Azure.Core never sends a bearer token in the clear; say so at start, naming the setting.
                throw new InvalidOperationException($"Uploader:Staging:BlobEndpoint ({endpoint}) must be https: a managed identity's token is never sent over plain http.");
            }

            // DefaultAzureCredential finds the managed identity in Azure (AZURE_CLIENT_ID names a user-assigned one).
            Service = new BlobServiceClient(endpoint, credential ?? new DefaultAzureCredential(), clientOptions);
            Delegation = new UserDelegationSigner(Service);
        }
        else
        {
            throw new InvalidOperationException("Set Uploader:Staging:BlobEndpoint (managed identity), or Uploader:Staging:ConnectionString.");
        }

        Staging = Service.GetBlobContainerClient(options.Container);
        Processed = Service.GetBlobContainerClient(options.ProcessedContainer);
        Failed = Service.GetBlobContainerClient(options.FailedContainer);
        Jobs = Service.GetBlobContainerClient(options.JobsContainer);
    }

    public BlobServiceClient Service { get; }

    /// <summary>Signs read URLs for server-side copies when the account is reached with a token credential; null with a connection string.</summary>
    public UserDelegationSigner? Delegation { get; }

    public BlobContainerClient Staging { get; }

    public BlobContainerClient Processed { get; }

    public BlobContainerClient Failed { get; }

    public BlobContainerClient Jobs { get; }

    public BlobContainerClient Container(string name) => Service.GetBlobContainerClient(name);
}
