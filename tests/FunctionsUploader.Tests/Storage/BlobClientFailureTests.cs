using FunctionsUploader.Storage;
using FunctionsUploader.Tests.Fixtures;

namespace FunctionsUploader.Tests.Storage;

public sealed class BlobClientFailureTests(Emulators emulators) : IClassFixture<Emulators>
{
    // Azure answers AuthenticationFailed; Azurite answers AuthorizationFailure for the same mistakes.
    private static readonly string[] AuthFailureCodes = ["AuthenticationFailed", "AuthorizationFailure"];

    [Fact]
    public async Task Missing_blob_says_which_blob_and_BlobNotFound()
    {
        var container = await emulators.NewContainerAsync();
        var blob = container.GetBlobClient("nowhere/missing.mp4");

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => blob.GetPropertiesAsync());

        Assert.Equal(404, error.Status);
        Assert.Equal("BlobNotFound", error.ErrorCode);
        Assert.Equal("Get Blob Properties", error.Operation);
        Assert.Contains($"{container.Name}/nowhere/missing.mp4", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Wrong_account_key_is_refused_with_AuthenticationFailed_and_the_key_is_not_quoted()
    {
        var container = await emulators.NewContainerAsync();
        var wrongKey = Convert.ToBase64String(TestData.Bytes(64, seed: 99));
        var account = BlobAccount.FromConnectionString(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={wrongKey};BlobEndpoint={emulators.Local.BlobEndpoint};");

        var error = await Assert.ThrowsAsync<BlobStorageException>(
            () => account.GetBlobClient(container.Name, "x.bin").UploadAsync(new MemoryStream([1, 2, 3]), 3));

        Assert.Equal(403, error.Status);
        Assert.Contains(error.ErrorCode, AuthFailureCodes);
        Assert.Contains("Check the account key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Block_whose_bytes_do_not_match_their_md5_is_rejected_with_Md5Mismatch()
    {
        var container = await emulators.NewContainerAsync();
        var blob = container.GetBlobClient("corrupt.bin");
        var data = TestData.Bytes(4096);
        var md5OfOtherBytes = System.Security.Cryptography.MD5.HashData(TestData.Bytes(4096, seed: 7));

        var error = await Assert.ThrowsAsync<BlobStorageException>(
            () => blob.StageBlockAsync(TestData.BlockId(0), new MemoryStream(data), data.Length, md5OfOtherBytes));

        Assert.Equal(400, error.Status);
        Assert.Equal("Md5Mismatch", error.ErrorCode);
        Assert.Empty((await blob.GetBlockListAsync()).Uncommitted);
    }

    [Fact]
    public async Task Write_with_a_stale_etag_fails_the_condition_and_leaves_the_blob_unchanged()
    {
        var container = await emulators.NewContainerAsync();
        var blob = container.GetBlobClient("versioned.bin");
        var first = await blob.UploadAsync(new MemoryStream([1]), 1);
        var second = await blob.UploadAsync(new MemoryStream([2, 2]), 2);

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => blob.UploadAsync(
            new MemoryStream([3, 3, 3]), 3, new BlobUploadOptions { Conditions = BlobConditions.IfUnchanged(first.ETag) }));

        Assert.Equal(412, error.Status);
        Assert.Equal("ConditionNotMet", error.ErrorCode);
        Assert.Contains("changed since it was read", error.Message, StringComparison.Ordinal);
        Assert.Equal(second.ETag, (await blob.GetPropertiesAsync()).ETag);
        await Assert.ThrowsAsync<BlobStorageException>(() => blob.DeleteIfExistsAsync(BlobConditions.IfUnchanged(first.ETag)));
        Assert.True(await blob.ExistsAsync());
    }

    [Fact]
    public async Task Copy_onto_an_existing_blob_with_if_not_exists_is_refused()
    {
        var container = await emulators.NewContainerAsync();
        var source = container.GetBlobClient("staging/b.bin");
        await source.UploadAsync(new MemoryStream([1, 2]), 2);
        var destination = container.GetBlobClient("processed/b.bin");
        await destination.UploadAsync(new MemoryStream([9]), 1);

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => destination.CopyFromAsync(source.Uri, conditions: BlobConditions.IfNotExists));

        Assert.Equal(409, error.Status);
        Assert.Equal(1, (await destination.GetPropertiesAsync()).Length);
    }

    [Fact]
    public async Task Put_block_from_url_refuses_a_source_that_changed_since_it_was_read()
    {
        var container = await emulators.NewContainerAsync();
        var source = container.GetBlobClient("staging/c.bin");
        var first = await source.UploadAsync(new MemoryStream(TestData.Bytes(1000)), 1000);
        await source.UploadAsync(new MemoryStream(TestData.Bytes(1000, seed: 2)), 1000);
        var destination = container.GetBlobClient("copy/c.bin");

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => destination.StageBlockFromUriAsync(
            TestData.BlockId(0), source.GenerateReadSasUri(DateTimeOffset.UtcNow.AddMinutes(5)), 0, 1000, BlobConditions.IfUnchanged(first.ETag)));

        Assert.Equal(412, error.Status);
        Assert.Empty((await destination.GetBlockListAsync()).Uncommitted);
    }

    [Fact]
    public async Task Range_starting_past_the_end_is_InvalidRange()
    {
        var container = await emulators.NewContainerAsync();
        var blob = container.GetBlobClient("short.bin");
        await blob.UploadAsync(new MemoryStream(new byte[100]), 100);

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => blob.OpenReadAsync(100, 10));

        Assert.Equal(416, error.Status);
        Assert.Equal("InvalidRange", error.ErrorCode);
        Assert.Contains("past the end", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{container.Name}/short.bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_sas_is_refused_and_the_signature_stays_out_of_the_message()
    {
        var container = await emulators.NewContainerAsync();
        var blob = container.GetBlobClient("expired.bin");
        await blob.UploadAsync(new MemoryStream([1, 2, 3]), 3);
        var expired = blob.GenerateReadSasUri(DateTimeOffset.UtcNow.AddMinutes(-5));

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => BlobAccount.ForBlobSasUri(expired).OpenReadAsync(0, 3));

        Assert.Equal(403, error.Status);
        Assert.Contains(error.ErrorCode, AuthFailureCodes);
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.UnescapeDataString(System.Web.HttpUtility.ParseQueryString(expired.Query)["sig"]!), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_only_sas_used_to_write_is_refused_and_the_blob_is_untouched()
    {
        var container = await emulators.NewContainerAsync();
        var blob = container.GetBlobClient("readonly.bin");
        await blob.UploadAsync(new MemoryStream([1, 2, 3]), 3);
        var readOnly = BlobAccount.ForBlobSasUri(blob.GenerateReadSasUri(DateTimeOffset.UtcNow.AddMinutes(5)));

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => readOnly.UploadAsync(new MemoryStream([9, 9]), 2));

        Assert.Equal(403, error.Status);
        Assert.Contains("permission", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await blob.GetPropertiesAsync()).Length);
    }

    [Fact]
    public async Task A_stream_shorter_than_its_declared_length_fails_instead_of_writing_a_short_block()
    {
        var container = await emulators.NewContainerAsync();
        var blob = container.GetBlobClient("short-stream.bin");
        
        await Assert.ThrowsAnyAsync<Exception>(() => blob.StageBlockAsync(TestData.BlockId(0), new ForwardOnlyStream(new MemoryStream(new byte[10])), 20));

        Assert.Empty((await blob.GetBlockListAsync()).Uncommitted);
    }
}
