using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using FunctionsUploader.Intake;
using FunctionsUploader.Jobs;
using FunctionsUploader.Simulators.Emulators;
using FunctionsUploader.Storage;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Tests.Transfer;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Tests.Storage;

/// <summary>
/// What a failed Azure Blob call says where our code calls the SDK: the operation, the blob, the service's code, what
/// to do, and never a key or a signature. The SDK's own exception names no blob; these are the messages people read.
/// </summary>
public sealed class BlobErrorTests(Emulators emulators) : IClassFixture<Emulators>
{
    // Azure answers AuthenticationFailed; Azurite answers AuthorizationFailure for the same mistakes.
    private static readonly string[] AuthFailureCodes = ["AuthenticationFailed", "AuthorizationFailure"];

    [Fact]
    public async Task A_missing_staging_blob_says_which_blob_and_BlobNotFound()
    {
        var container = await emulators.NewContainerAsync();

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => BlobTransferSource.OpenAsync(container.GetBlobClient("nowhere/missing.mp4")));

        Assert.Equal(404, error.Status);
        Assert.Equal("BlobNotFound", error.ErrorCode);
        Assert.Equal("Get Blob Properties", error.Operation);
        Assert.Contains($"{container.Name}/nowhere/missing.mp4", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_wrong_account_key_is_refused_with_AuthenticationFailed_and_the_key_is_not_quoted()
    {
        var wrongKey = Convert.ToBase64String(TestData.Bytes(64, seed: 99));
        var staging = new StagingAccount(new StagingOptions
        {
            ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={wrongKey};BlobEndpoint={emulators.Local.BlobEndpoint};",
            JobsContainer = "jobs-" + Guid.NewGuid().ToString("N")[..8],
        });

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => new BlobJobStore(staging.Jobs).PutAsync("job-1", "session", new { a = 1 }));

        Assert.Equal(403, error.Status);
        Assert.Contains(error.ErrorCode, AuthFailureCodes);
        Assert.Contains("Check the account key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_upload_sas_is_refused_and_the_signature_stays_out_of_the_message()
    {
        var container = await emulators.NewContainerAsync();
        var source = await StagingBlobs.UploadAsync(container, "staging/late.mp4", TestData.Bytes(1000));
        var expired = container.GetBlobClient("vendor/late.mp4").GenerateSasUri(BlobSasPermissions.All, DateTimeOffset.UtcNow.AddMinutes(-5));

        var error = await Assert.ThrowsAsync<PartTransferException>(
            () => new TransferEngine().TransferAsync(source, new AzureBlobSasTarget(new AzureBlobSasTargetSpec(expired) { ServerSideCopy = false })));

        var inner = Assert.IsType<BlobStorageException>(error.InnerException);
        Assert.Equal(403, inner.Status);
        Assert.Contains(inner.ErrorCode, AuthFailureCodes);
        Assert.Contains($"{container.Name}/vendor/late.mp4", error.Message, StringComparison.Ordinal);
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
        var signature = System.Web.HttpUtility.ParseQueryString(expired.Query)["sig"]!;
        Assert.DoesNotContain("sig=", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(signature, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_sas_used_to_write_is_refused_and_the_blob_is_untouched()
    {
        var container = await emulators.NewContainerAsync();
        var source = await StagingBlobs.UploadAsync(container, "staging/ro.mp4", TestData.Bytes(1000));
        var existing = container.GetBlobClient("vendor/ro.mp4");
        await existing.UploadAsync(BinaryData.FromBytes([1, 2, 3]));
        var readOnly = existing.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddMinutes(5));

        var error = await Assert.ThrowsAsync<PartTransferException>(
            () => new TransferEngine().TransferAsync(source, new AzureBlobSasTarget(new AzureBlobSasTargetSpec(readOnly) { ServerSideCopy = false })));

        Assert.Equal(403, Assert.IsType<BlobStorageException>(error.InnerException).Status);
        Assert.Contains("permission", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await existing.GetPropertiesAsync()).Value.ContentLength);
    }

    [Fact]
    public async Task Throttling_keeps_its_retry_after_and_counts_as_transient()
    {
        var container = await emulators.NewContainerAsync();
        await StagingBlobs.UploadAsync(container, "staging/busy.mp4", TestData.Bytes(1000));
        await using var proxy = await FaultProxy.StartAsync(emulators.Local.Azurite.BaseUri);
        var throughProxy = ThroughProxy(proxy, maxRetries: 0).GetBlobContainerClient(container.Name).GetBlobClient("staging/busy.mp4");
        proxy.Inject("HEAD", new Fault.Status(503, TimeSpan.FromSeconds(7)));

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => BlobTransferSource.OpenAsync(throughProxy));

        Assert.Equal(503, error.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.True(error.IsTransient);
        Assert.Contains($"{container.Name}/staging/busy.mp4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_staging_read_broken_mid_body_is_resumed_and_the_bytes_are_intact()
    {
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(3 * 1024 * 1024, seed: 21);
        await StagingBlobs.UploadAsync(container, "staging/long.mp4", data);
        await using var proxy = await FaultProxy.StartAsync(emulators.Local.Azurite.BaseUri);
        var source = await BlobTransferSource.OpenAsync(
            ThroughProxy(proxy, StagingAccount.MaxRetries).GetBlobContainerClient(container.Name).GetBlobClient("staging/long.mp4"));
        proxy.Inject("GET", new Fault.CutResponse(1024 * 1024));

        await using var read = await source.OpenReadAsync(512, data.Length - 1024);
        var bytes = await TestData.ReadAllAsync(read);

        Assert.Equal(data.AsSpan(512, data.Length - 1024).ToArray(), bytes);
        Assert.Equal(2, proxy.Count("GET")); // the broken body, then one ranged GET for the rest
    }

    [Fact]
    public void A_sas_url_without_a_signature_is_refused_naming_the_blob_without_its_query()
    {
        var error = Assert.Throws<ArgumentException>(() => BlobClients.ForSasUri(new Uri("https://vendor.blob.core.windows.net/assets/clip.mp4?sv=2026-06-06&secret=x"), BlobClients.Options(0)));

        Assert.Contains("https://vendor.blob.core.windows.net/assets/clip.mp4 carries no SAS signature", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    private BlobServiceClient ThroughProxy(FaultProxy proxy, int maxRetries)
    {
        var endpoint = new Uri(proxy.BaseUrl, emulators.Local.BlobEndpoint.AbsolutePath);
        return new BlobServiceClient(
            $"DefaultEndpointsProtocol=http;AccountName={LocalEmulators.AzuriteAccountName};AccountKey={LocalEmulators.AzuriteAccountKey};BlobEndpoint={endpoint};",
            BlobClients.Options(maxRetries));
    }
}
