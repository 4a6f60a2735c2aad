using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Tests.Transfer;

public sealed class PresignedPartsTargetTests(Emulators emulators) : IClassFixture<Emulators>, IDisposable
{
    private const int PartSize = (int)PartRules.S3MinPartSize;

    private readonly HttpClient _http = new();

    [Theory]
    [InlineData(1)]
    [InlineData(PartSize)]
    [InlineData(PartSize + 1)]
    [InlineData(2 * PartSize + 7)]
    public async Task Parts_put_to_presigned_urls_land_byte_exact_with_their_md5_as_etag(int length)
    {
        using var s3 = S3Objects.Client(emulators);
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(length, seed: 21);
        var source = await StagingBlobs.UploadAsync(container, "staging/clip.mp4", data);
        var key = S3Objects.NewKey("clip.mp4");
        var parts = (length + PartSize - 1) / PartSize;
        var spec = await S3Objects.PresignAsync(s3, key, PartSize, parts);

        var result = await new TransferEngine().TransferAsync(source, new PresignedPartsTarget(spec, _http));
        await S3Objects.CompleteAsync(s3, key, spec.UploadId, result.Receipts);

        Assert.Equal(TestData.Md5Hex(data), await S3Objects.Md5HexAsync(s3, key));
        Assert.Equal(
            result.Plan.GetParts().Select(p => $"\"{TestData.Md5Hex(data.AsSpan((int)p.Offset, (int)p.Length))}\""),
            result.Receipts.Select(r => r.Tag));
    }

    [Fact]
    public async Task A_part_put_again_after_a_crash_leaves_the_same_object()
    {
        using var s3 = S3Objects.Client(emulators);
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(2 * PartSize + 3, seed: 22);
        var source = await StagingBlobs.UploadAsync(container, "staging/again.mp4", data);
        var key = S3Objects.NewKey("again.mp4");
        var spec = await S3Objects.PresignAsync(s3, key, PartSize, 3);
        var plan = PartPlanner.Plan(data.Length, spec.GetPartRules());

        await new TransferEngine().CopyPartsAsync(source, new PresignedPartsTarget(spec, _http), new PartBatch(plan, 0, 1, 2));
        var receipts = await new TransferEngine().CopyPartsAsync(source, new PresignedPartsTarget(spec, _http), PartBatch.All(plan));
        await S3Objects.CompleteAsync(s3, key, spec.UploadId, receipts);

        Assert.Equal(TestData.Md5Hex(data), await S3Objects.Md5HexAsync(s3, key));
    }

    [Fact]
    public async Task A_file_of_another_size_than_the_urls_were_issued_for_is_refused_before_any_byte_moves()
    {
        using var s3 = S3Objects.Client(emulators);
        var container = await emulators.NewContainerAsync();
        var source = new CountingSource(await StagingBlobs.UploadAsync(container, "staging/grown.mp4", TestData.Bytes(2 * PartSize + 1, seed: 23)));
        var spec = await S3Objects.PresignAsync(s3, S3Objects.NewKey("grown.mp4"), PartSize, 2);

        var error = await Assert.ThrowsAsync<TransferRefusedException>(() => new TransferEngine().TransferAsync(source, new PresignedPartsTarget(spec, _http)));

        Assert.Contains("issued 2 part URLs of 5 MiB, but the file has 10,485,761 bytes (10 MiB) and needs 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, source.BytesRead);
    }

    public void Dispose() => _http.Dispose();
}
