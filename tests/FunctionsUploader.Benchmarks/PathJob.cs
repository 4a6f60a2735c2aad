using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using FunctionsUploader.Intake;
using FunctionsUploader.Simulators.Emulators;
using FunctionsUploader.Storage;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Benchmarks;

/// <summary>One path run once, in a process of its own so that its peak memory is its own.</summary>
internal sealed record PathJob(
    string Path,
    string BlobConnectionString,
    string Container,
    string SourceBlob,
    Uri S3Endpoint,
    string Bucket,
    string DestinationKey,
    int PartsInFlight,
    string? LocalFile = null)
{
    /// <summary>Picovico's fixed part size.</summary>
    public const long PresignedPartSize = 5 * PartRules.MiB;

    public static readonly BasicAWSCredentials S3Credentials = new(LocalEmulators.S3AccessKey, LocalEmulators.S3SecretKey);

    public S3MultipartTargetSpec S3Spec => new(S3Endpoint, Bucket, DestinationKey);

    /// <summary>
    /// Runs the path once on <paramref name="warmUpBlob"/> outside the clock (a worker is warm), then measures it on the
    /// source, then runs it once more on the warm-up blob to see what the JIT costs the next job.
    /// </summary>
    public async Task<PathResult> RunAsync(string warmUpBlob)
    {
        using var meter = new ProcessMeter();
        await (this with { SourceBlob = warmUpBlob, DestinationKey = DestinationKey + ".warm-up", LocalFile = null }).MoveAsync(Stopwatch.StartNew());
        var jit = JitInfo.GetCompilationTime();
        var tiering = ProcessMeter.TieringCpuSeconds();
        var socketBytes = await meter.SocketBytesAsync();
        var fileBytes = ProcessMeter.FileBytes();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var commit = await MoveAsync(clock);
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var result = new PathResult(
            clock.Elapsed.TotalSeconds,
            commit.TotalSeconds,
            ProcessMeter.PeakResidentBytes(),
            await meter.SocketBytesAsync() - socketBytes,
            ProcessMeter.FileBytes() - fileBytes,
            cpu.TotalSeconds,
            (JitInfo.GetCompilationTime() - jit).TotalSeconds,
            ProcessMeter.TieringCpuSeconds() - tiering);

        // The next job in the same (now warm) process: what the JIT costs a worker per job once it has moved a file.
        jit = JitInfo.GetCompilationTime();
        tiering = ProcessMeter.TieringCpuSeconds();
        await (this with { SourceBlob = warmUpBlob, DestinationKey = DestinationKey + NextJobSuffix, LocalFile = null }).MoveAsync(Stopwatch.StartNew());
        return result with
        {
            Extras = new PathExtras
            {
                NextJobJitSeconds = (JitInfo.GetCompilationTime() - jit).TotalSeconds,
                NextJobTieringCpuSeconds = ProcessMeter.TieringCpuSeconds() - tiering,
            },
        };
    }

    /// <summary>Where the next job after the measured one writes: the destination key with this suffix.</summary>
    public const string NextJobSuffix = ".next";

    /// <summary>Moves the source along the path; returns how long the commit took.</summary>
    private async Task<TimeSpan> MoveAsync(Stopwatch clock)
    {
        var container = new BlobServiceClient(BlobConnectionString, BlobClients.Options(StagingAccount.MaxRetries)).GetBlobContainerClient(Container);
        var staging = container.GetBlobClient(SourceBlob);
        var options = new TransferOptions { PartsInFlight = PartsInFlight };
        var engine = new TransferEngine(options);
        using var s3 = new AmazonS3Client(S3Credentials, S3MultipartTarget.CreateConfig(S3Spec, options));
        // file-streamed reads a local file; its warm-up (no LocalFile) warms the same target from a small blob.
        ITransferSource source = LocalFile is null ? await BlobTransferSource.OpenAsync(staging) : new FileTransferSource(LocalFile);
        switch (Path)
        {
            case BenchmarkSettings.AzureServerSide or BenchmarkSettings.AzureStreamed or BenchmarkSettings.FileStreamed:
                var uploadUrl = container.GetBlobClient(DestinationKey)
                    .GenerateSasUri(BlobSasPermissions.Read | BlobSasPermissions.Create | BlobSasPermissions.Write, DateTimeOffset.UtcNow.AddHours(6));
                var spec = new AzureBlobSasTargetSpec(uploadUrl) { ServerSideCopy = Path == BenchmarkSettings.AzureServerSide };
                return await CopyAndCommitAsync(engine, source, new AzureBlobSasTarget(spec, options), clock);
            case BenchmarkSettings.BlobRead:
                await ReadAsync(source, options);
                return TimeSpan.Zero;
            case BenchmarkSettings.S3Presigned:
                return await PresignedAsync(engine, source, s3, options, clock);
            case BenchmarkSettings.S3Sdk:
                using (var target = new S3MultipartTarget(S3Spec, S3Credentials, options))
                {
                    await target.StartAsync();
                    return await CopyAndCommitAsync(engine, source, target, clock);
                }

            case BenchmarkSettings.TransferUtility:
                return await DownloadThenTransferUtilityAsync(staging, clock);
            default:
                throw new ArgumentException($"No child path {Path}.");
        }
    }

    /// <summary>Reads every part-sized range of the source, parts in flight as a transfer reads them, each drained through one copy buffer.</summary>
    private static async Task ReadAsync(ITransferSource source, TransferOptions options)
    {
        const long rangeSize = 16 * PartRules.MiB;
        var ranges = (int)((source.Length + rangeSize - 1) / rangeSize);
        long total = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, ranges), new ParallelOptions { MaxDegreeOfParallelism = options.PartsInFlight }, async (index, cancellationToken) =>
        {
            var offset = index * rangeSize;
            var buffer = new byte[options.CopyBufferSize];
            await using var range = await source.OpenReadAsync(offset, Math.Min(rangeSize, source.Length - offset), cancellationToken);
            int read;
            while ((read = await range.ReadAsync(buffer, cancellationToken)) > 0)
            {
                Interlocked.Add(ref total, read);
            }
        });
        if (total != source.Length)
        {
            throw new InvalidOperationException($"Read {total} bytes of a {source.Length}-byte source.");
        }
    }

    private static async Task<TimeSpan> CopyAndCommitAsync(TransferEngine engine, ITransferSource source, ITransferTarget target, Stopwatch clock)
    {
        var plan = PartPlanner.Plan(source.Length, target.Rules);
        var receipts = await engine.CopyPartsAsync(source, target, PartBatch.All(plan));
        var committing = clock.Elapsed;
        await target.CommitAsync(plan, receipts.ToList());
        return clock.Elapsed - committing;
    }

    /// <summary>Picovico's flow: the vendor opens the upload and signs a URL per 5 MiB part; we PUT them; the finalize completes it.</summary>
    private async Task<TimeSpan> PresignedAsync(TransferEngine engine, ITransferSource source, IAmazonS3 s3, TransferOptions options, Stopwatch clock)
    {
        var parts = (int)((source.Length + PresignedPartSize - 1) / PresignedPartSize);
        var spec = await S3PresignedParts.OpenAsync(s3, Bucket, DestinationKey, PresignedPartSize, parts, TimeSpan.FromHours(6));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var target = new PresignedPartsTarget(spec, http, options);
        var plan = PartPlanner.Plan(source.Length, target.Rules);
        var receipts = await engine.CopyPartsAsync(source, target, PartBatch.All(plan));
        var committing = clock.Elapsed;
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = DestinationKey,
            UploadId = spec.UploadId,
            PartETags = receipts.Select(r => new PartETag(r.PartNumber, r.Tag)).ToList(),
        });
        return clock.Elapsed - committing;
    }

    /// <summary>What a user would write instead: download to a temp file, then TransferUtility.</summary>
    private async Task<TimeSpan> DownloadThenTransferUtilityAsync(BlobBaseClient staging, Stopwatch clock)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"benchmark-{Guid.NewGuid():N}.bin");
        try
        {
            await using (var download = (await staging.DownloadStreamingAsync()).Value.Content)
            await using (var temp = File.Create(file))
            {
                await download.CopyToAsync(temp);
            }

            using var s3 = new EmulatorS3Client(S3Credentials, S3MultipartTarget.CreateConfig(S3Spec, new TransferOptions()));
            await new Amazon.S3.Transfer.TransferUtility(s3).UploadAsync(new TransferUtilityUploadRequest { FilePath = file, BucketName = Bucket, Key = DestinationKey });
            return TimeSpan.Zero; // TransferUtility completes inside UploadAsync: its commit cannot be timed apart.
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// TransferUtility's requests cannot be told UseChunkEncoding = false, and s3rver stores aws-chunked framing as
    /// data (EMULATORS.md): the same setting, applied before marshalling, is what a user would have to add.
    /// </summary>
    private sealed class EmulatorS3Client(AWSCredentials credentials, AmazonS3Config config) : AmazonS3Client(credentials, config)
    {
        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            base.CustomizeRuntimePipeline(pipeline);
            pipeline.AddHandlerBefore<Marshaller>(new NoChunkEncoding());
        }

        private sealed class NoChunkEncoding : PipelineHandler
        {
            public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
            {
                switch (executionContext.RequestContext.OriginalRequest)
                {
                    case UploadPartRequest part:
                        part.UseChunkEncoding = false;
                        break;
                    case PutObjectRequest put:
                        put.UseChunkEncoding = false;
                        break;
                }

                return base.InvokeAsync<T>(executionContext);
            }
        }
    }
}

/// <summary>
/// What one run of one path measured. Time covers the transfer and its commit, not start-up or warm-up. JitSeconds: the
/// time the JIT spent inside the measurement (tiered recompilation of code the small warm-up did not make hot); part of
/// CpuSeconds, though a long-running worker would have paid it long before; wall-clock, so it grows when the machine is
/// busy. TieringCpuSeconds: the CPU the tiered compilation worker used meanwhile, the JIT's share of CpuSeconds that a
/// busy machine does not inflate.
/// </summary>
internal sealed record PathResult(double Seconds, double CommitSeconds, long PeakResidentBytes, long SocketBytes, long FileBytes, double CpuSeconds, double JitSeconds, double TieringCpuSeconds = 0)
{
    /// <summary>The figures only some paths have (the next job's JIT, the CLI's process time and engine load).</summary>
    public PathExtras Extras { get; init; } = new();

    public string ToJson() => JsonSerializer.Serialize(this);

    public static PathResult FromJson(string json) => JsonSerializer.Deserialize<PathResult>(json)!;
}

/// <summary>
/// The figures only some paths have: a child's next job (one more small job after the measured one, in the same
/// process), and for the engine-cli paths the whole process's time and what the jobs cost the engine.
/// </summary>
internal sealed record PathExtras
{
    /// <summary>JIT time (wall-clock) of the next job.</summary>
    public double? NextJobJitSeconds { get; init; }

    /// <summary>The tiered compilation worker's CPU during the next job.</summary>
    public double? NextJobTieringCpuSeconds { get; init; }

    /// <summary>engine-cli paths: the whole `uploader` process, start to exit (Seconds is then the jobs' own time).</summary>
    public double? ProcessSeconds { get; init; }

    /// <summary>engine-cli paths: orchestrator executions (replays included) per job (the CLI's "engine" figures).</summary>
    public double? ExecutionsPerJob { get; init; }

    /// <summary>engine-cli paths: history events per job, over its orchestrations.</summary>
    public double? HistoryEventsPerJob { get; init; }

    /// <summary>engine-cli paths: the history events of the fullest orchestration.</summary>
    public double? MostHistoryEvents { get; init; }
}
