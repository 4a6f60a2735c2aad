using System.Net.Http.Headers;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Tests.Transfer;

public sealed class PhasedChunkTargetTests(Emulators emulators) : IClassFixture<Emulators>, IDisposable
{
    private const int ChunkSize = 256 * 1024;

    private readonly HttpClient _http = new();

    [Fact]
    public async Task Chunks_go_one_after_another_each_once_and_finish()
    {
        await using var server = await PhasedUploadServer.StartAsync(ChunkSize);
        var data = TestData.Bytes(3 * ChunkSize + 5, seed: 41);
        var source = await SourceAsync(data, "staging/video.mp4");
        var asset = server.CreateAsset(data.Length);

        var result = await new TransferEngine().TransferAsync(source, Target(server, asset));

        var held = server.Inspect(asset);
        Assert.Equal(TestData.Md5Hex(data), held.Md5Hex);
        Assert.True(held.Finished);
        Assert.Equal(4, held.Chunks);
        Assert.Equal(
            result.Plan.GetParts().Select(p => TestData.Md5Hex(data.AsSpan((int)p.Offset, (int)p.Length))),
            result.Receipts.Select(r => r.Md5Hex));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(ChunkSize)]
    [InlineData(ChunkSize + 1)]
    public async Task Tiny_and_boundary_sizes_arrive_byte_exact(int length)
    {
        await using var server = await PhasedUploadServer.StartAsync(ChunkSize);
        var data = TestData.Bytes(length, seed: length);
        var asset = server.CreateAsset(length);

        await new TransferEngine().TransferAsync(await SourceAsync(data, "staging/odd.mp4"), Target(server, asset));

        Assert.Equal(TestData.Md5Hex(data), server.Inspect(asset).Md5Hex);
        Assert.True(server.Inspect(asset).Finished);
    }

    [Fact]
    public async Task Replies_that_show_the_last_range_never_make_the_last_chunk_go_twice()
    {
        await using var server = await PhasedUploadServer.StartAsync(ChunkSize);
        var data = TestData.Bytes(2 * ChunkSize + 3, seed: 42);
        var asset = server.CreateAsset(data.Length);

        await new TransferEngine().TransferAsync(await SourceAsync(data, "staging/echo.mp4"), Target(server, asset));

        var held = server.Inspect(asset);
        Assert.Equal(TestData.Md5Hex(data), held.Md5Hex);
        Assert.Equal(3, held.Chunks);
        Assert.True(held.Finished);
    }

    [Fact]
    public async Task A_new_worker_resumes_from_the_servers_offset_without_resending()
    {
        await using var server = await PhasedUploadServer.StartAsync(ChunkSize);
        var data = TestData.Bytes(4 * ChunkSize + 1, seed: 43);
        var source = await SourceAsync(data, "staging/resume.mp4");
        var asset = server.CreateAsset(data.Length);
        var plan = PartPlanner.Plan(data.Length, Target(server, asset).Rules);
        await new TransferEngine().CopyPartsAsync(source, Target(server, asset), new PartBatch(plan, 0, 1, 2));

        var target = Target(server, asset);
        var receipts = await new TransferEngine().CopyPartsAsync(source, target, PartBatch.All(plan));
        await target.CommitAsync(plan, receipts);

        Assert.All(receipts.Take(2), r => Assert.Null(r.Md5Hex));
        Assert.Equal(5, server.Inspect(asset).Chunks);
        Assert.Equal(TestData.Md5Hex(data), server.Inspect(asset).Md5Hex);
    }

    [Fact]
    public async Task A_chunk_whose_reply_was_lost_is_not_appended_twice()
    {
        await using var server = await PhasedUploadServer.StartAsync(ChunkSize);
        var data = TestData.Bytes(3 * ChunkSize, seed: 44);
        var asset = server.CreateAsset(data.Length);
        server.LoseRepliesAfterStoring(1);

        await new TransferEngine(new TransferOptions { RetryDelay = TimeSpan.FromMilliseconds(10) })
            .TransferAsync(await SourceAsync(data, "staging/lost.mp4"), Target(server, asset));

        Assert.Equal(3, server.Inspect(asset).Chunks);
        Assert.Equal(TestData.Md5Hex(data), server.Inspect(asset).Md5Hex);
    }

    [Fact]
    public async Task A_refused_token_fails_with_the_status_and_never_shows_the_token()
    {
        await using var server = await PhasedUploadServer.StartAsync(ChunkSize);
        var data = TestData.Bytes(10, seed: 45);
        var asset = server.CreateAsset(data.Length);
        var target = new PhasedChunkTarget(
            new PhasedChunkTargetSpec(server.BaseUrl, asset, "lost.mp4") { ChunkSize = ChunkSize }, _http,
            _ => ValueTask.FromResult(new AuthenticationHeaderValue("Bearer", "expired-token-9c1d")));

        var source = await SourceAsync(data, "staging/t.mp4");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => new TransferEngine().TransferAsync(source, target));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("expired-token-9c1d", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Inspect(asset).Received);
    }

    public void Dispose() => _http.Dispose();

    private async Task<BlobTransferSource> SourceAsync(byte[] data, string name) =>
        await StagingBlobs.UploadAsync(await emulators.NewContainerAsync(), name, data);

    private PhasedChunkTarget Target(PhasedUploadServer server, string asset) =>
        new(new PhasedChunkTargetSpec(server.BaseUrl, asset, "video.mp4") { ChunkSize = ChunkSize }, _http,
            _ => ValueTask.FromResult(new AuthenticationHeaderValue("Bearer", PhasedUploadServer.Token)));
}
