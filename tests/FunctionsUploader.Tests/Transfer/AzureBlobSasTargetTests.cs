using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Tests.Transfer;

public sealed class AzureBlobSasTargetTests(Emulators emulators) : IClassFixture<Emulators>
{
    private const int BlockSize = 64 * 1024;

    [Fact]
    public async Task Server_side_copy_moves_no_bytes_through_the_process_and_lands_byte_exact()
    {
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(3 * BlockSize + 17, seed: 11);
        var source = new CountingSource(await StagingBlobs.UploadAsync(container, "staging/clip.mp4", data));
        var destination = container.GetBlockBlobClient("vendor/clip.mp4");

        var result = await new TransferEngine().TransferAsync(source, Target(destination, serverSide: true));

        Assert.Equal(0, source.BytesRead);
        Assert.Equal(TestData.Md5Hex(data), await StagingBlobs.Md5HexAsync(destination));
        Assert.Equal(4, result.Receipts.Count);
        // The service reports the MD5 of each block it copied: they are the source ranges' MD5s.
        Assert.Equal(
            result.Plan.GetParts().Select(p => TestData.Md5Hex(data.AsSpan((int)p.Offset, (int)p.Length))),
            result.Receipts.Select(r => r.Md5Hex));
        Assert.Equal(Enumerable.Range(1, 4).Select(AzureBlobSasTarget.BlockId), (await destination.GetBlockListAsync()).Value.CommittedBlocks.Select(b => b.Name));
    }

    [Fact]
    public async Task A_local_file_streams_into_blocks_with_their_md5s()
    {
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(2 * BlockSize + 1, seed: 12);
        var path = Path.GetTempFileName();
        await File.WriteAllBytesAsync(path, data);
        var destination = container.GetBlockBlobClient("vendor/from-file.mp4");
        try
        {
            var result = await new TransferEngine().TransferAsync(new FileTransferSource(path), Target(destination, serverSide: true));

            Assert.Equal(TestData.Md5Hex(data), await StagingBlobs.Md5HexAsync(destination));
            Assert.Equal(
                result.Plan.GetParts().Select(p => TestData.Md5Hex(data.AsSpan((int)p.Offset, (int)p.Length))),
                result.Receipts.Select(r => r.Md5Hex));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Falls_back_to_streaming_when_the_destination_cannot_read_the_source()
    {
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(3 * BlockSize, seed: 13);
        // Azurite refuses a copy source spelled with another host name (CannotVerifyCopySource), like an unreachable account.
        var source = new CountingSource(
            await StagingBlobs.UploadAsync(container, "staging/far.mp4", data),
            readable => new ServiceReadableSource(new Uri(readable!.Url.ToString().Replace("127.0.0.1", "localhost", StringComparison.Ordinal)), readable.ETag));
        var destination = container.GetBlockBlobClient("vendor/far.mp4");

        await new TransferEngine().TransferAsync(source, Target(destination, serverSide: true));

        Assert.True(source.BytesRead >= data.Length);
        Assert.Equal(TestData.Md5Hex(data), await StagingBlobs.Md5HexAsync(destination));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(BlockSize, true)]
    [InlineData(2 * BlockSize, true)]
    [InlineData(2 * BlockSize + 1, true)]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(BlockSize, false)]
    [InlineData(2 * BlockSize, false)]
    [InlineData(2 * BlockSize + 1, false)]
    public async Task Empty_tiny_and_boundary_sizes_land_byte_exact(int length, bool serverSide)
    {
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(length, seed: length);
        var source = await StagingBlobs.UploadAsync(container, "staging/odd.bin", data);
        var destination = container.GetBlockBlobClient("vendor/odd.bin");

        var result = await new TransferEngine().TransferAsync(source, Target(destination, serverSide));

        Assert.Equal(length, (await destination.GetPropertiesAsync()).Value.ContentLength);
        Assert.Equal(TestData.Md5Hex(data), await StagingBlobs.Md5HexAsync(destination));
        Assert.Equal(length, result.Commit.Length);
    }

    [Fact]
    public async Task A_file_of_one_part_goes_as_one_block_and_a_commit_that_stores_its_md5()
    {
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(BlockSize - 3, seed: 14);
        var source = await StagingBlobs.UploadAsync(container, "staging/small.jpg", data);
        var destination = container.GetBlockBlobClient("vendor/small.jpg");

        var result = await new TransferEngine().TransferAsync(source, Target(destination, serverSide: false));

        // Not Put Blob: the SDK buffers a body it cannot rewind whole, so a part goes as a block however the file is cut.
        var receipt = Assert.Single(result.Receipts);
        Assert.Equal(AzureBlobSasTarget.BlockId(1), receipt.Tag);
        Assert.Equal([AzureBlobSasTarget.BlockId(1)], (await destination.GetBlockListAsync()).Value.CommittedBlocks.Select(b => b.Name));
        Assert.Equal(TestData.Md5Hex(data), Convert.ToHexStringLower((await destination.GetPropertiesAsync()).Value.ContentHash));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_batch_run_again_after_a_crash_skips_held_blocks_and_a_repeated_part_changes_nothing(bool serverSide)
    {
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(5 * BlockSize + 9, seed: 15);
        var source = await StagingBlobs.UploadAsync(container, "staging/resume.mp4", data);
        var destination = container.GetBlockBlobClient("vendor/resume.mp4");
        var plan = PartPlanner.Plan(data.Length, Target(destination, serverSide).Rules);
        var batches = plan.GetBatches(targetBatchBytes: 2 * BlockSize);
        Assert.Equal(3, batches.Count);

        // The first activity copied its batch, then the worker died before reporting: the receipts are lost.
        await new TransferEngine().CopyPartsAsync(source, Target(destination, serverSide), batches[0]);
        // The orchestration runs every batch again on a new worker, with a new target.
        var target = Target(destination, serverSide);
        var receipts = new List<PartReceipt>();
        foreach (var batch in batches)
        {
            receipts.AddRange(await new TransferEngine().CopyPartsAsync(source, target, batch));
        }

        Assert.All(receipts.Take(2), r => Assert.Null(r.Md5Hex)); // held by the service, not sent again
        Assert.All(receipts.Skip(2), r => Assert.NotNull(r.Md5Hex));
        // A part copied twice (an activity retried after it had sent it) leaves the same block.
        receipts[3] = await target.SendPartAsync(source, plan.GetPart(4));
        await target.CommitAsync(plan, receipts);

        Assert.Equal(TestData.Md5Hex(data), await StagingBlobs.Md5HexAsync(destination));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_staging_blob_overwritten_mid_transfer_fails_instead_of_mixing_versions(bool serverSide)
    {
        var container = await emulators.NewContainerAsync();
        var source = await StagingBlobs.UploadAsync(container, "staging/changing.mp4", TestData.Bytes(3 * BlockSize, seed: 16));
        await container.GetBlobClient("staging/changing.mp4").UploadAsync(BinaryData.FromBytes(TestData.Bytes(3 * BlockSize, seed: 17)), overwrite: true);
        var destination = container.GetBlockBlobClient("vendor/changing.mp4");

        var error = await Assert.ThrowsAsync<PartTransferException>(
            () => new TransferEngine().TransferAsync(source, Target(destination, serverSide)));

        Assert.False(error.IsTransient);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("changed since it was read", error.Message, StringComparison.Ordinal);
        Assert.False(await destination.ExistsAsync());
    }

    [Fact]
    public async Task Commit_refuses_receipts_that_miss_a_part()
    {
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(3 * BlockSize, seed: 18);
        var source = await StagingBlobs.UploadAsync(container, "staging/gap.mp4", data);
        var destination = container.GetBlockBlobClient("vendor/gap.mp4");
        var target = Target(destination, serverSide: true);
        var plan = PartPlanner.Plan(data.Length, target.Rules);
        var receipts = await new TransferEngine().CopyPartsAsync(source, target, PartBatch.All(plan));

        var error = await Assert.ThrowsAsync<TransferIntegrityException>(() => target.CommitAsync(plan, receipts.Where(r => r.PartNumber != 2).ToList()));

        Assert.Equal(2, error.PartNumber);
        Assert.Contains("1 of 3 parts have no receipt (first missing: part 2)", error.Message, StringComparison.Ordinal);
        Assert.False(await destination.ExistsAsync());
    }

    private static AzureBlobSasTarget Target(BlobBaseClient destination, bool serverSide) =>
        new(new AzureBlobSasTargetSpec(StagingBlobs.UploadUrl(destination)) { BlockSize = BlockSize, ServerSideCopy = serverSide });
}
