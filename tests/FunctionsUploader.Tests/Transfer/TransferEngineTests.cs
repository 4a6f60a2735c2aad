using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Tests.Transfer;

public sealed class TransferEngineTests(Emulators emulators) : IClassFixture<Emulators>, IDisposable
{
    private const int PartSize = (int)PartRules.S3MinPartSize;

    private static readonly TransferOptions QuickRetries = new()
    {
        RetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromSeconds(5),
    };

    private readonly HttpClient _http = new();

    [Theory]
    [InlineData(503, 0)]
    [InlineData(429, 1)]
    public async Task A_part_answered_503_or_429_with_a_short_retry_after_is_retried_and_lands_byte_exact(int status, int retryAfterSeconds)
    {
        await using var proxy = await FaultProxy.StartAsync(emulators.Local.S3Endpoint);
        proxy.Inject("partNumber=2", new Fault.Status(status, retryAfterSeconds > 0 ? TimeSpan.FromSeconds(retryAfterSeconds) : null));

        var (data, md5) = await PresignedThroughAsync(proxy, 2 * PartSize + 1, QuickRetries);

        Assert.Equal(TestData.Md5Hex(data), md5);
        Assert.Equal(2, proxy.Count("partNumber=2"));
    }

    [Fact]
    public async Task A_429_asking_to_wait_longer_than_quick_retries_is_left_to_the_orchestration()
    {
        await using var proxy = await FaultProxy.StartAsync(emulators.Local.S3Endpoint);
        proxy.Inject("partNumber=1", new Fault.Status(429, TimeSpan.FromMinutes(2)));

        var error = await Assert.ThrowsAsync<PartTransferException>(() => PresignedThroughAsync(proxy, PartSize, QuickRetries));

        Assert.Equal((1, 1, true), (error.PartNumber, error.Attempts, error.IsTransient));
        Assert.Contains("429", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_reset_mid_body_is_retried_from_a_fresh_read()
    {
        await using var proxy = await FaultProxy.StartAsync(emulators.Local.S3Endpoint);
        proxy.Inject("partNumber=2", new Fault.Reset(AfterBytes: 1024 * 1024));

        var (data, md5) = await PresignedThroughAsync(proxy, 2 * PartSize + 3, QuickRetries);

        Assert.Equal(TestData.Md5Hex(data), md5);
    }

    [Fact]
    public async Task A_part_that_keeps_failing_is_reported_with_its_number_and_cause()
    {
        await using var proxy = await FaultProxy.StartAsync(emulators.Local.S3Endpoint);
        proxy.Inject("partNumber=3", new Fault.Status(500), times: int.MaxValue);

        var error = await Assert.ThrowsAsync<PartTransferException>(() => PresignedThroughAsync(proxy, 3 * PartSize, QuickRetries));

        Assert.Equal(3, error.PartNumber);
        Assert.Equal(1 + QuickRetries.MaxRetries, error.Attempts);
        Assert.True(error.IsTransient);
        Assert.StartsWith("Part 3 (bytes 10485760-15728639) to upload ", error.Message, StringComparison.Ordinal);
        Assert.Contains("failed after 4 attempts: Upload of part 3 failed for http://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("500 Internal Server Error. <Error><Code>Injected500</Code>", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Amz-Signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_corrupted_on_the_way_are_an_integrity_error_naming_the_part()
    {
        await using var proxy = await FaultProxy.StartAsync(emulators.Local.S3Endpoint);
        proxy.Inject("partNumber=2", new Fault.Corrupt());

        var error = await Assert.ThrowsAsync<PartTransferException>(() => PresignedThroughAsync(proxy, 2 * PartSize, QuickRetries));

        Assert.Equal((2, 1, false), (error.PartNumber, error.Attempts, error.IsTransient));
        Assert.IsType<TransferIntegrityException>(error.InnerException);
        Assert.Contains("the stored part is not what was sent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_put_block_faults_are_retried_and_the_blob_lands_byte_exact()
    {
        await using var proxy = await FaultProxy.StartAsync(emulators.Local.Azurite.BaseUri);
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(3 * 64 * 1024 + 1, seed: 51);
        var source = await StagingBlobs.UploadAsync(container, "staging/flaky.mp4", data);
        var destination = container.GetBlobClient("vendor/flaky.mp4");
        proxy.Inject("blockid=" + Uri.EscapeDataString(AzureBlobSasTarget.BlockId(1)), new Fault.Reset(AfterBytes: 1000));
        proxy.Inject("blockid=" + Uri.EscapeDataString(AzureBlobSasTarget.BlockId(3)), new Fault.Status(503, TimeSpan.FromSeconds(1)));
        var uploadUrl = new UriBuilder(StagingBlobs.UploadUrl(destination)) { Port = proxy.BaseUrl.Port }.Uri;

        await new TransferEngine(QuickRetries).TransferAsync(
            source, new AzureBlobSasTarget(new AzureBlobSasTargetSpec(uploadUrl) { BlockSize = 64 * 1024, ServerSideCopy = false }, QuickRetries));

        Assert.Equal(TestData.Md5Hex(data), await StagingBlobs.Md5HexAsync(destination));
        Assert.Equal(2, proxy.Count("blockid=" + Uri.EscapeDataString(AzureBlobSasTarget.BlockId(3))));
    }

    [Fact]
    public async Task Uploadpart_reset_mid_body_is_retried_through_the_sdk()
    {
        await using var proxy = await FaultProxy.StartAsync(emulators.Local.S3Endpoint);
        using var s3 = S3Objects.Client(emulators);
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(2 * PartSize + 11, seed: 52);
        var source = await StagingBlobs.UploadAsync(container, "staging/sdk.mp4", data);
        var key = S3Objects.NewKey("sdk.mp4");
        proxy.Inject("partNumber=2", new Fault.Reset(AfterBytes: 512 * 1024));
        proxy.Inject("partNumber=3", new Fault.Status(502));
        using var target = new S3MultipartTarget(S3Objects.Spec(emulators, key) with { ServiceUrl = proxy.BaseUrl }, S3Objects.Credentials, QuickRetries);
        await target.StartAsync();

        await new TransferEngine(QuickRetries).TransferAsync(source, target);

        Assert.Equal(TestData.Md5Hex(data), await S3Objects.Md5HexAsync(s3, key));
        Assert.Equal(2, proxy.Count("partNumber=3"));
    }

    [Fact]
    public async Task No_more_parts_than_configured_are_in_flight()
    {
        await using var proxy = await FaultProxy.StartAsync(emulators.Local.S3Endpoint);

        var (data, md5) = await PresignedThroughAsync(proxy, 6 * PartSize, new TransferOptions { PartsInFlight = 2 });

        Assert.Equal(TestData.Md5Hex(data), md5);
        Assert.InRange(proxy.MaxConcurrentUploads, 1, 2);
    }

    [Fact]
    public async Task Cancellation_stops_the_transfer_without_blaming_a_part()
    {
        using var s3 = S3Objects.Client(emulators);
        var container = await emulators.NewContainerAsync();
        var source = await StagingBlobs.UploadAsync(container, "staging/cancel.mp4", TestData.Bytes(4 * PartSize, seed: 53));
        var key = S3Objects.NewKey("cancel.mp4");
        var target = new PresignedPartsTarget(await S3Objects.PresignAsync(s3, key, PartSize, 4), _http);
        using var cancel = new CancellationTokenSource();
        var sent = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TransferEngine(new TransferOptions { PartsInFlight = 1 }).TransferAsync(
            source, target, new SynchronousProgress(_ => { if (Interlocked.Increment(ref sent) == 1) { cancel.Cancel(); } }), cancel.Token));

        Assert.Equal(1, sent);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A staging blob of <paramref name="length"/> bytes sent through presigned part URLs that point at the proxy; returns the object's MD5.</summary>
    private async Task<(byte[] Data, string Md5)> PresignedThroughAsync(FaultProxy proxy, int length, TransferOptions options)
    {
        using var s3 = S3Objects.Client(emulators);
        var container = await emulators.NewContainerAsync();
        var data = TestData.Bytes(length, seed: length % 1000);
        var source = await StagingBlobs.UploadAsync(container, "staging/through-proxy.mp4", data);
        var key = S3Objects.NewKey("through-proxy.mp4");
        var spec = await S3Objects.PresignAsync(s3, key, PartSize, (length + PartSize - 1) / PartSize, through: proxy.BaseUrl);

        var result = await new TransferEngine(options).TransferAsync(source, new PresignedPartsTarget(spec, _http, options));
        await S3Objects.CompleteAsync(s3, key, spec.UploadId, result.Receipts);
        return (data, await S3Objects.Md5HexAsync(s3, key));
    }

    /// <summary>Progress<T> posts to the thread pool; the test needs the callback before the next part starts.</summary>
    private sealed class SynchronousProgress(Action<PartReceipt> report) : IProgress<PartReceipt>
    {
        public void Report(PartReceipt value) => report(value);
    }
}
