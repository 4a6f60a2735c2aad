using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Tests.Transfer;

public sealed class S3MultipartTargetTests(Emulators emulators) : IClassFixture<Emulators>
{
    private const int PartSize = (int)PartRules.S3MinPartSize;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(PartSize)]
    [InlineData(PartSize + 1)]
    [InlineData(2 * PartSize + 5)]
    public async Task A_staging_blob_streams_into_uploadpart_and_lands_byte_exact(int length)
    {
        using var s3 = S3Objects.Client(emulators);
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(length, seed: 31);
        var source = new CountingSource(await StagingBlobs.UploadAsync(container, "staging/lecture.mp4", data));
        var key = S3Objects.NewKey("lecture.mp4");
        using var target = new S3MultipartTarget(S3Objects.Spec(emulators, key), S3Objects.Credentials);
        await target.StartAsync();

        var result = await new TransferEngine().TransferAsync(source, target);

        Assert.Equal(TestData.Md5Hex(data), await S3Objects.Md5HexAsync(s3, key));
        Assert.Equal(length, result.Commit.Length);
        Assert.Equal(
            result.Plan.GetParts().Select(p => TestData.Md5Hex(data.AsSpan((int)p.Offset, (int)p.Length))),
            result.Receipts.Select(r => r.Md5Hex));
        // Over http the SDK signs the body's SHA-256: it reads each part once to hash it and once to send it.
        Assert.Equal(2L * length, source.BytesRead);
    }

    [Fact]
    public async Task A_local_file_streams_into_uploadpart()
    {
        using var s3 = S3Objects.Client(emulators);
        var data = TestData.Bytes(PartSize + 99, seed: 32);
        var path = Path.GetTempFileName();
        await File.WriteAllBytesAsync(path, data);
        var key = S3Objects.NewKey("from-file.mp4");
        try
        {
            using var target = new S3MultipartTarget(S3Objects.Spec(emulators, key), S3Objects.Credentials);
            await target.StartAsync();

            await new TransferEngine().TransferAsync(new FileTransferSource(path), target);

            Assert.Equal(TestData.Md5Hex(data), await S3Objects.Md5HexAsync(s3, key));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Parts_sent_again_by_a_new_worker_under_the_same_upload_id_leave_the_same_object()
    {
        using var s3 = S3Objects.Client(emulators);
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(3 * PartSize + 1, seed: 33);
        var source = await StagingBlobs.UploadAsync(container, "staging/rerun.mp4", data);
        var key = S3Objects.NewKey("rerun.mp4");
        string uploadId;
        PartPlan plan;
        using (var first = new S3MultipartTarget(S3Objects.Spec(emulators, key), S3Objects.Credentials))
        {
            uploadId = await first.StartAsync();
            plan = PartPlanner.Plan(data.Length, first.Rules);
            await new TransferEngine().CopyPartsAsync(source, first, new PartBatch(plan, 0, 1, 3));
        }

        using var second = new S3MultipartTarget(S3Objects.Spec(emulators, key) with { UploadId = uploadId }, S3Objects.Credentials);
        var receipts = await new TransferEngine().CopyPartsAsync(source, second, PartBatch.All(plan));
        await second.CommitAsync(plan, receipts);

        Assert.Equal(TestData.Md5Hex(data), await S3Objects.Md5HexAsync(s3, key));
    }

    [Fact]
    public async Task Aws_chunked_framing_stored_by_s3rver_is_caught_as_a_checksum_mismatch()
    {
        var container = await emulators.NewContainerAsync();
        var source = await StagingBlobs.UploadAsync(container, "staging/framed.mp4", TestData.Bytes(1000, seed: 34));
        using var target = new S3MultipartTarget(
            S3Objects.Spec(emulators, S3Objects.NewKey("framed.mp4")) with { PayloadSigning = S3PayloadSigning.Chunked }, S3Objects.Credentials);
        await target.StartAsync();

        var error = await Assert.ThrowsAsync<PartTransferException>(() => new TransferEngine().TransferAsync(source, target));

        Assert.Equal(1, error.PartNumber);
        Assert.False(error.IsTransient);
        var mismatch = Assert.IsType<TransferIntegrityException>(error.InnerException);
        Assert.Contains("the stored part is not what was sent", mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_that_change_between_the_signing_read_and_the_sent_read_are_caught()
    {
        // Only the signing read is hashed: the ETag of what was sent must still be checked against it.
        var data = TestData.Bytes(1000, seed: 36);
        var changed = data.ToArray();
        changed[500] ^= 0xFF;
        var source = new ChangingSource(new MemoryTransferSource("first", data), new MemoryTransferSource("later", changed));
        using var target = new S3MultipartTarget(S3Objects.Spec(emulators, S3Objects.NewKey("changing.mp4")), S3Objects.Credentials);
        await target.StartAsync();

        var error = await Assert.ThrowsAsync<PartTransferException>(() => new TransferEngine(new TransferOptions { MaxRetries = 0 }).TransferAsync(source, target));

        Assert.Equal(2, source.Opens);
        var mismatch = Assert.IsType<TransferIntegrityException>(error.InnerException);
        Assert.Contains(TestData.Md5Hex(data), mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsigned_payloads_over_http_are_refused_at_configuration()
    {
        var error = Assert.Throws<TransferRefusedException>(() => new S3MultipartTarget(
            S3Objects.Spec(emulators, "k") with { PayloadSigning = S3PayloadSigning.Unsigned }, S3Objects.Credentials));

        Assert.Contains("Unsigned payloads need https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parts_before_the_upload_is_started_are_refused()
    {
        var container = await emulators.NewContainerAsync();
        var source = await StagingBlobs.UploadAsync(container, "staging/early.mp4", TestData.Bytes(10, seed: 35));
        using var target = new S3MultipartTarget(S3Objects.Spec(emulators, "early.mp4"), S3Objects.Credentials);

        var error = await Assert.ThrowsAsync<PartTransferException>(() => new TransferEngine().TransferAsync(source, target));

        Assert.Contains("call StartAsync", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Serves the first read of a range from one copy and every later read from another.</summary>
    private sealed class ChangingSource(ITransferSource first, ITransferSource later) : ITransferSource
    {
        private int _opens;

        public int Opens => Volatile.Read(ref _opens);

        public string Name => first.Name;

        public long Length => first.Length;

        public Task<Stream> OpenReadAsync(long offset, long length, CancellationToken cancellationToken = default) =>
            (Interlocked.Increment(ref _opens) == 1 ? first : later).OpenReadAsync(offset, length, cancellationToken);

        public Task<ServiceReadableSource?> GetServiceReadableSourceAsync(TimeSpan validFor, CancellationToken cancellationToken = default) =>
            Task.FromResult<ServiceReadableSource?>(null);
    }
}
