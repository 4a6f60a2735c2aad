using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using FunctionsUploader.Simulators.Emulators;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using FunctionsUploader.Storage;
using FunctionsUploader.Transfer;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Benchmarks;

/// <summary>
/// Starts the emulators, creates the random source once, then runs every path in turn, run after run, each checked
/// byte-exact at its destination and deleted before the next, and reports medians side by side with the baselines.
/// </summary>
internal sealed class BenchmarkRun(BenchmarkSettings settings)
{
    private const string Container = "bench";
    private const string Bucket = "bench";
    private const string SourceBlob = "staging/source.bin";
    private const string WarmUpBlob = "staging/warm-up.bin";
    private const long WarmUpSize = 6 * PartRules.MiB;
    private const double Megabyte = 1_000_000;

    /// <summary>
    /// Keeps the measured processes' tiered compilation worker alive while they run (it ends after 4 s idle by default),
    /// so that its CPU can be read (ProcessMeter): an hour, in hexadecimal as the runtime reads its DOTNET_ settings.
    /// </summary>
    private static readonly (string Name, string Value) TieringWorkerTimeout = ("DOTNET_TC_BackgroundWorkerTimeoutMs", "36EE80");

    public async Task<int> RunAsync()
    {
        Status($"Starting Azurite and s3rver ...");
        await using var emulators = await LocalEmulators.StartAsync(EmulatorInstallation.Locate(), [Bucket]);
        var account = new BlobServiceClient(emulators.BlobConnectionString, BlobClients.Options(maxRetries: 3));
        var container = account.GetBlobContainerClient(Container);
        await container.CreateIfNotExistsAsync();
        var staging = container.GetBlockBlobClient(SourceBlob);
        Status($"Creating a random {settings.Size / (double)PartRules.MiB:0.#} MiB source in Azurite ...");
        var sourceMd5 = await CreateSourceAsync(staging, settings.Size);
        await CreateSourceAsync(container.GetBlockBlobClient(WarmUpBlob), WarmUpSize);
        var s3Spec = new S3MultipartTargetSpec(emulators.S3Endpoint, Bucket, "unused");
        using var s3 = new AmazonS3Client(PathJob.S3Credentials, S3MultipartTarget.CreateConfig(s3Spec, new TransferOptions()));

        // The paths that start from a local file (as a CLI user does) read the same bytes from one.
        var localFile = settings.Paths.Any(p => p is BenchmarkSettings.FileStreamed or BenchmarkSettings.EngineCli or BenchmarkSettings.EngineCliFiles) ? await DownloadAsync(staging) : null;
        using var deleteLocalFile = new TemporaryPath(localFile);
        var manyFiles = settings.Paths.Contains(BenchmarkSettings.EngineCliFiles) ? await CutAsync(localFile!, BenchmarkSettings.ManyFiles) : null;
        using var deleteManyFiles = new TemporaryPath(manyFiles is null ? null : Path.GetDirectoryName(manyFiles[0].File));
        // The measured processes run as they ship: published (ReadyToRun by default) from this clone.
        var children = settings.Paths.Any(p => !BenchmarkSettings.IsCurl(p) && p is not (BenchmarkSettings.EngineCli or BenchmarkSettings.EngineCliFiles))
            ? Path.Combine(await PublishAsync(Path.Combine("tests", "FunctionsUploader.Benchmarks")), "FunctionsUploader.Benchmarks")
            : null;
        using var deleteChildren = new TemporaryPath(children is null ? null : Path.GetDirectoryName(children));
        var cli = settings.Paths.Any(p => p is BenchmarkSettings.EngineCli or BenchmarkSettings.EngineCliFiles)
            ? Path.Combine(await PublishAsync(Path.Combine("src", "FunctionsUploader.Cli")), "uploader")
            : null;
        using var deleteCli = new TemporaryPath(cli is null ? null : Path.GetDirectoryName(cli));
        var results = settings.Paths.ToDictionary(p => p, _ => new List<PathResult>());
        for (var run = 1; run <= settings.Runs; run++)
        {
            foreach (var path in settings.Paths)
            {
                var key = $"run{run}/{path}.bin";
                var result = path switch
                {
                    BenchmarkSettings.CurlPipe or BenchmarkSettings.CurlMd5Pipe => await CurlPipeAsync(staging, s3, key, md5: path == BenchmarkSettings.CurlMd5Pipe, sourceMd5),
                    BenchmarkSettings.CurlMultipart => await CurlMultipartAsync(staging, s3, key, s3Spec.PartSize),
                    BenchmarkSettings.CurlMultipart5MiB => await CurlMultipartAsync(staging, s3, key, PathJob.PresignedPartSize),
                    BenchmarkSettings.CurlBlocks => await CurlBlocksAsync(staging, container.GetBlockBlobClient(key)),
                    BenchmarkSettings.EngineCli => await EngineCliAsync(cli!, [(localFile!, sourceMd5)]),
                    BenchmarkSettings.EngineCliFiles => await EngineCliAsync(cli!, manyFiles!),
                    _ => await ChildAsync(children!, new PathJob(path, emulators.BlobConnectionString, Container, SourceBlob, emulators.S3Endpoint, Bucket, key, settings.PartsInFlight, path == BenchmarkSettings.FileStreamed ? localFile : null), settings.Gen0Budget),
                };
                await VerifyAndDeleteAsync(path, key, sourceMd5, container, s3);
                await DeleteAsync(key + ".warm-up", container, s3);
                await DeleteAsync(key + PathJob.NextJobSuffix, container, s3);
                results[path].Add(result);
                Status($"run {run}/{settings.Runs} {path,-19} {settings.Size / result.Seconds / Megabyte,7:0.0} MB/s  commit {result.CommitSeconds,5:0.00} s  peak {result.PeakResidentBytes / (double)PartRules.MiB,6:0} MiB  sockets {result.SocketBytes / (double)settings.Size,6:0.000} x size  cpu {result.CpuSeconds,5:0.00} s (jit {result.JitSeconds:0.00} s, tiering cpu {result.TieringCpuSeconds:0.00} s)" +
                    (result.Extras.NextJobTieringCpuSeconds is { } next ? $"  next job: jit {result.Extras.NextJobJitSeconds:0.00} s, tiering cpu {next:0.00} s" : "") +
                    (result.Extras.ProcessSeconds is { } process ? $"  process {process:0.0} s" : "") + "  (verified)");
            }
        }

        var report = Summarize(results) with { Planner = PlannerRow.For200GB() };
        Console.WriteLine(settings.Json ? JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }) : Table(report));
        return 0;
    }

    private static void Status(string line) => Console.Error.WriteLine(line);

    private static async Task<string> CreateSourceAsync(BlockBlobClient blob, long size)
    {
        var buffer = new byte[8 * 1024 * 1024];
        var random = new Random(20260521);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var ids = new List<string>();
        for (long offset = 0; offset < size; offset += buffer.Length)
        {
            var length = (int)Math.Min(buffer.Length, size - offset);
            random.NextBytes(buffer.AsSpan(0, length));
            md5.AppendData(buffer.AsSpan(0, length));
            var id = Convert.ToBase64String(BitConverter.GetBytes(ids.Count));
            var checksum = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5, PrecalculatedChecksum = MD5.HashData(buffer.AsSpan(0, length)) };
            await blob.StageBlockAsync(id, new MemoryStream(buffer, 0, length), new BlockBlobStageBlockOptions { TransferValidation = checksum });
            ids.Add(id);
        }

        await blob.CommitBlockListAsync(ids);
        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    /// <summary>
    /// The loopback limit: curl GET from Azurite piped into one curl PUT to s3rver, the same bytes between the same
    /// servers. With <paramref name="md5"/>, md5sum also reads the stream (tee): the limit with the checksum we must compute.
    /// </summary>
    private async Task<PathResult> CurlPipeAsync(BlobBaseClient staging, IAmazonS3 s3, string key, bool md5, string sourceMd5)
    {
        var get = staging.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(6));
        var put = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            Protocol = Protocol.HTTP,
            Expires = DateTime.UtcNow.AddHours(6),
        });
        var checksum = Path.GetTempFileName();
        // A stated length (and no chunked encoding) as S3 requires of a PUT.
        var upload = """curl -sSf -T - -H "Content-Length: $3" -H "Transfer-Encoding:" -o /dev/null "$2" """;
        var script = md5
            ? $"""mkfifo "$4.fifo"; md5sum < "$4.fifo" > "$4" & curl -sSf "$1" | tee "$4.fifo" | {upload}; wait $!; rm "$4.fifo" """
            : $"""curl -sSf "$1" | {upload}""";
        try
        {
            var clock = Stopwatch.StartNew();
            var (_, cpu) = await BashAsync(script, get.ToString(), put, Text(settings.Size), checksum);
            clock.Stop();

            // md5sum reads the stream through a named pipe, as a child that bash waits for, so `times` counts its CPU too.
            if (md5 && !(await File.ReadAllTextAsync(checksum)).StartsWith(sourceMd5, StringComparison.Ordinal))
            {
                throw new InvalidOperationException("md5sum in the curl pipe did not see the source's bytes.");
            }

            return new PathResult(clock.Elapsed.TotalSeconds, 0, 0, 0, 0, cpu, 0);
        }
        finally
        {
            File.Delete(checksum);
            File.Delete(checksum + ".fifo");
        }
    }

    /// <summary>
    /// The loopback limit of a multipart upload, the shape every S3 path here must take: each part's range piped by curl
    /// from Azurite into a curl PUT to its presigned part URL, as many parts in flight as our paths use, then
    /// CompleteMultipartUpload. It pays what any multipart upload pays on s3rver, so it shows how much of a gap to the
    /// single-PUT curl pipe belongs to the server rather than to the client.
    /// </summary>
    private async Task<PathResult> CurlMultipartAsync(BlobBaseClient staging, IAmazonS3 s3, string key, long partSize)
    {
        var get = staging.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(6));
        var parts = (int)((settings.Size + partSize - 1) / partSize);
        var clock = Stopwatch.StartNew();
        var upload = await S3PresignedParts.OpenAsync(s3, Bucket, key, partSize, parts, TimeSpan.FromHours(6));
        var tags = new PartETag[parts];
        var cpu = new double[parts];
        using var slots = new SemaphoreSlim(settings.PartsInFlight);
        await Task.WhenAll(Enumerable.Range(0, parts).Select(async index =>
        {
            await slots.WaitAsync();
            try
            {
                var offset = index * partSize;
                var length = Math.Min(partSize, settings.Size - offset);
                const string script = """curl -sSf -r "$3-$4" "$1" | curl -sSf -T - -H "Content-Length: $5" -H "Transfer-Encoding:" -D - -o /dev/null "$2" """;
                (var headers, cpu[index]) = await BashAsync(script, get.ToString(), upload.PartUrls[index].ToString(), Text(offset), Text(offset + length - 1), Text(length));
                var etag = headers.Split('\n').First(line => line.StartsWith("ETag:", StringComparison.OrdinalIgnoreCase))["ETag:".Length..].Trim();
                tags[index] = new PartETag(index + 1, etag);
            }
            finally
            {
                slots.Release();
            }
        }));
        var commit = Stopwatch.StartNew();
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = upload.UploadId, PartETags = [.. tags] });
        return new PathResult(clock.Elapsed.TotalSeconds, commit.Elapsed.TotalSeconds, 0, 0, 0, cpu.Sum(), 0);
    }

    /// <summary>
    /// What azure-streamed does, in curl: for each block of the same plan, the range read once for its MD5 (Azure checks
    /// a Content-MD5 sent up front, so the hash must come before the bytes), then read again and piped into Put Block with
    /// that Content-MD5, as many blocks in flight as our paths use; then Put Block List.
    /// </summary>
    private async Task<PathResult> CurlBlocksAsync(BlobBaseClient staging, BlockBlobClient destination)
    {
        var get = staging.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(6));
        var put = destination.GenerateSasUri(BlobSasPermissions.Create | BlobSasPermissions.Write, DateTimeOffset.UtcNow.AddHours(6));
        var plan = PartPlanner.Plan(settings.Size, new AzureBlobSasTargetSpec(put).GetPartRules());
        var ids = plan.GetParts().Select(p => Convert.ToBase64String(BitConverter.GetBytes(p.Number))).ToArray();
        var cpu = new double[ids.Length];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(plan.GetParts(), new ParallelOptions { MaxDegreeOfParallelism = settings.PartsInFlight }, async (part, cancellationToken) =>
        {
            const string script = """
                md5=$(curl -sSf -r "$3-$4" "$1" | openssl dgst -md5 -binary | base64)
                curl -sSf -r "$3-$4" "$1" | curl -sSf -T - -H "Content-Length: $5" -H "Transfer-Encoding:" -H "Content-MD5: $md5" -o /dev/null "$2"
                """;
            var block = $"{put}&comp=block&blockid={Uri.EscapeDataString(ids[part.Number - 1])}";
            (_, cpu[part.Number - 1]) = await BashAsync(script, get.ToString(), block, Text(part.Offset), Text(part.Offset + part.Length - 1), Text(part.Length));
        });
        var commit = Stopwatch.StartNew();
        await new BlockBlobClient(put, BlobClients.Options(maxRetries: 3)).CommitBlockListAsync(ids);
        return new PathResult(clock.Elapsed.TotalSeconds, commit.Elapsed.TotalSeconds, 0, 0, 0, cpu.Sum(), 0);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs a bash script with arguments ($1...) and pipefail; returns its standard output and the CPU seconds of bash and
    /// every process it waited for (bash's own `times`, printed on exit); a failure throws with its standard error.
    /// </summary>
    private static async Task<(string Output, double CpuSeconds)> BashAsync(string script, params string[] arguments)
    {
        const string marker = "--- times ---";
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", $"set -eo pipefail; trap 'echo \"{marker}\"; times' EXIT\n{script}", "bash" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        if (bash.ExitCode != 0)
        {
            throw new InvalidOperationException($"curl failed ({bash.ExitCode}): {await errors}");
        }

        var text = await output;
        var at = text.LastIndexOf(marker, StringComparison.Ordinal);
        // `times`: two lines (the shell, then its children), each "user system" as 0m0.123s.
        var cpu = text[(at + marker.Length)..].Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Sum(ParseTimes);
        return (text[..at], cpu);
    }

    private static double ParseTimes(string value)
    {
        var minutes = value.IndexOf('m', StringComparison.Ordinal);
        return (double.Parse(value[..minutes], CultureInfo.InvariantCulture) * 60) + double.Parse(value[(minutes + 1)..^1], CultureInfo.InvariantCulture);
    }

    private static async Task<string> DownloadAsync(BlobBaseClient staging)
    {
        Status("Downloading the source to a local file for the paths that start from one ...");
        var file = Path.Combine(Path.GetTempPath(), $"benchmark-{Guid.NewGuid():N}.mp4");
        await staging.DownloadToAsync(file);
        return file;
    }

    /// <summary>Cuts <paramref name="file"/> into <paramref name="count"/> files of (nearly) equal size in a folder of their own, with their MD5s.</summary>
    private static async Task<IReadOnlyList<(string File, string Md5)>> CutAsync(string file, int count)
    {
        Status($"Cutting the source into {count} files ...");
        var folder = Directory.CreateTempSubdirectory("benchmark-files-").FullName;
        var length = new FileInfo(file).Length;
        var pieces = new List<(string, string)>();
        await using var source = File.OpenRead(file);
        for (var index = 0; index < count; index++)
        {
            var piece = Path.Combine(folder, $"clip-{index + 1:D2}.mp4");
            var size = (length * (index + 1) / count) - (length * index / count);
            var bytes = new byte[size];
            await source.ReadExactlyAsync(bytes);
            await File.WriteAllBytesAsync(piece, bytes);
            pieces.Add((piece, Convert.ToHexStringLower(MD5.HashData(bytes))));
        }

        return pieces;
    }

    /// <summary>
    /// Publishes a project of this repository as the app and the CLI ship (ReadyToRun for this machine's runtime
    /// identifier, unless --build il) into a temporary folder, and returns the folder.
    /// </summary>
    private async Task<string> PublishAsync(string project)
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "FunctionsUploader.sln")))
        {
            repository = repository.Parent;
        }

        if (repository is null)
        {
            throw new InvalidOperationException("The benchmark publishes what it measures from this repository, but it does not run from inside one.");
        }

        var output = Directory.CreateTempSubdirectory("benchmark-publish-").FullName;
        var runtime = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        Status($"Publishing {project} ({(settings.ReadyToRun ? "ReadyToRun" : "IL")}, {runtime}) ...");
        await BashAsync(
            """dotnet publish "$1" -c Release -r "$2" --self-contained false -p:PublishReadyToRun="$3" -o "$4" >&2""",
            Path.Combine(repository.FullName, project),
            runtime,
            settings.ReadyToRun ? "true" : "false",
            output);
        return output;
    }

    /// <summary>
    /// One `uploader upload` of <paramref name="files"/> to MediaValet through the published CLI on its own sandbox
    /// (simulators, emulators, the engine's state Azurite). Every job must end Completed with the file's MD5 at the
    /// vendor. Timed: the jobs, by the engine's clock (and the whole process, start to exit, beside it). Its CPU, JIT and
    /// peak memory (the whole process's) come from the startup hook.
    /// </summary>
    private static async Task<PathResult> EngineCliAsync(string uploader, IReadOnlyList<(string File, string Md5)> files)
    {
        var meter = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(uploader) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
            foreach (var argument in new[] { "upload" }.Concat(files.Select(f => f.File)).Concat(["--vendor", "mediavalet", "--sandbox", "--json"]))
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location;
            start.Environment[TieringWorkerTimeout.Name] = TieringWorkerTimeout.Value;
            start.Environment[StartupHook.MeterFileVariable] = meter;
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            clock.Stop();
            using var result = JsonDocument.Parse(await output);
            // One job prints its result; several print an array of them, in the order of the files.
            var results = result.RootElement.ValueKind == JsonValueKind.Array ? [.. result.RootElement.EnumerateArray()] : new[] { result.RootElement };
            var wrong = files.Zip(results, (file, job) => (file, Outcome: job.GetProperty("outcome").GetString(), Md5: job.GetProperty("destinationMd5").GetString()))
                .Where(j => j.Outcome != "Completed" || j.Md5 != j.file.Md5)
                .Select(j => $"{Path.GetFileName(j.file.File)} ended {j.Outcome}, the vendor holds MD5 {j.Md5}, the file has {j.file.Md5}")
                .ToList();
            if (process.ExitCode != 0 || results.Length != files.Count || wrong.Count > 0)
            {
                throw new InvalidOperationException($"{uploader} exited {process.ExitCode} with {results.Length} results for {files.Count} files: {string.Join("; ", wrong)}\n{await errors}");
            }

            // The jobs' own time, by the engine's clock: from the first start to the last outcome. It leaves out what a
            // production host does not pay per job: the process and the sandbox starting, and the read-back check.
            var started = results.Min(r => r.GetProperty("startedAt").GetDateTimeOffset());
            var finished = results.Max(r => r.GetProperty("finishedAt").GetDateTimeOffset());
            var figures = (await File.ReadAllTextAsync(meter)).Split(' ').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // What the jobs cost the engine, as the CLI reports it beside each result.
            var engine = results.Select(r => r.GetProperty("engine")).ToList();
            return new PathResult((finished - started).TotalSeconds, 0, (long)figures[3], 0, 0, figures[0], figures[1], figures[4])
            {
                Extras = new PathExtras
                {
                    ProcessSeconds = clock.Elapsed.TotalSeconds,
                    ExecutionsPerJob = engine.Average(e => e.GetProperty("orchestratorExecutions").GetInt32()),
                    HistoryEventsPerJob = engine.Average(e => e.GetProperty("historyEvents").GetInt32()),
                    MostHistoryEvents = engine.Max(e => e.GetProperty("mostHistoryEvents").GetInt32()),
                },
            };
        }
        finally
        {
            File.Delete(meter);
        }
    }

    private static async Task<PathResult> ChildAsync(string executable, PathJob job, long? gen0Budget)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment[TieringWorkerTimeout.Name] = TieringWorkerTimeout.Value;
        if (gen0Budget is { } budget)
        {
            start.Environment["DOTNET_GCGen0MaxBudget"] = "0x" + budget.ToString("x", CultureInfo.InvariantCulture);
        }

        start.ArgumentList.Add("--child");
        start.ArgumentList.Add(JsonSerializer.Serialize(job));
        start.ArgumentList.Add(WarmUpBlob);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        return child.ExitCode == 0
            ? PathResult.FromJson((await output).Trim().Split('\n')[^1])
            : throw new InvalidOperationException($"{job.Path} failed ({child.ExitCode}): {await errors}");
    }

    /// <summary>Every run must land byte-exact; then its copy goes, so that a 4 GiB run does not fill the disk.</summary>
    private static async Task VerifyAndDeleteAsync(string path, string key, string sourceMd5, BlobContainerClient container, IAmazonS3 s3)
    {
        if (path is BenchmarkSettings.BlobRead or BenchmarkSettings.EngineCli or BenchmarkSettings.EngineCliFiles)
        {
            return; // Nothing delivered here: the child checked that it read every byte; the CLI job checked its vendor's copy.
        }

        string md5;
        if (path is BenchmarkSettings.AzureServerSide or BenchmarkSettings.AzureStreamed or BenchmarkSettings.CurlBlocks or BenchmarkSettings.FileStreamed)
        {
            await using var content = (await container.GetBlobClient(key).DownloadStreamingAsync()).Value.Content;
            md5 = Convert.ToHexStringLower(await MD5.HashDataAsync(content));
        }
        else
        {
            // s3rver's ETag is the object's plain MD5, also after a multipart upload (EMULATORS.md).
            md5 = (await s3.GetObjectMetadataAsync(Bucket, key)).ETag.Trim('"');
        }

        await DeleteAsync(key, container, s3);
        if (md5 != sourceMd5)
        {
            throw new InvalidOperationException($"{path} delivered bytes with MD5 {md5}; the source has {sourceMd5}.");
        }
    }

    private static async Task DeleteAsync(string key, BlobContainerClient container, IAmazonS3 s3)
    {
        await container.GetBlobClient(key).DeleteIfExistsAsync();
        await s3.DeleteObjectAsync(Bucket, key);
    }

    /// <summary>Ratios pair each run with the baseline's run next to it (the paths alternate within a run), then take the median.</summary>
    private BenchmarkReport Summarize(Dictionary<string, List<PathResult>> results)
    {
        double Speed(PathResult r) => settings.Size / r.Seconds / Megabyte;
        double PartsSpeed(PathResult r) => settings.Size / (r.Seconds - r.CommitSeconds) / Megabyte;
        // CPU without the tiered compilation worker's: what a warm worker pays per GiB moved (the JIT is reported on its own).
        double CpuPerGiB(PathResult r) => (r.CpuSeconds - r.TieringCpuSeconds) / (settings.Size / (double)(1L << 30));
        double? Ratio(List<PathResult> runs, string? baseline, Func<PathResult, double> ours, Func<PathResult, double> theirs) =>
            baseline is not null && results.TryGetValue(baseline, out var baseRuns)
                ? Math.Round(Median(runs.Zip(baseRuns, (run, other) => ours(run) / theirs(other))), 2)
                : null;
        return new BenchmarkReport(
            settings.Size,
            settings.Runs,
            settings.PartsInFlight,
            settings.Gen0Budget,
            Environment.ProcessorCount,
            results.Select(r =>
            {
                var measured = !BenchmarkSettings.IsCurl(r.Key);
                var same = BenchmarkSettings.SameWorkBaseline(r.Key);
                return new PathReport(
                    r.Key,
                    Math.Round(Median(r.Value.Select(Speed)), 1),
                    Math.Round(Median(r.Value.Select(PartsSpeed)), 1),
                    Ratio(r.Value, BenchmarkSettings.CurlPipe, Speed, Speed),
                    Ratio(r.Value, BenchmarkSettings.CurlPipe, PartsSpeed, Speed),
                    Ratio(r.Value, BenchmarkSettings.TransferUtility, Speed, Speed),
                    same,
                    Ratio(r.Value, same, Speed, Speed),
                    Ratio(r.Value, same, PartsSpeed, PartsSpeed),
                    measured ? Math.Round(r.Value.Max(x => x.PeakResidentBytes) / (double)PartRules.MiB, 1) : null,
                    measured ? (long)Median(r.Value.Select(x => (double)x.SocketBytes)) : null,
                    measured ? (long)Median(r.Value.Select(x => (double)x.FileBytes)) : null,
                    Math.Round(Median(r.Value.Select(x => x.CommitSeconds)), 2),
                    Math.Round(Median(r.Value.Select(x => x.CpuSeconds)), 2),
                    measured ? Math.Round(Median(r.Value.Select(x => x.JitSeconds)), 2) : null,
                    measured ? Math.Round(Median(r.Value.Select(x => x.TieringCpuSeconds)), 2) : null,
                    Math.Round(Median(r.Value.Select(CpuPerGiB)), 2),
                    Ratio(r.Value, same, CpuPerGiB, CpuPerGiB),
                    r.Value.Select(x => Math.Round(Speed(x), 1)).ToList())
                {
                    Extras = new PathExtras
                    {
                        ProcessSeconds = MedianOf(r.Value, x => x.Extras.ProcessSeconds, 1),
                        NextJobJitSeconds = MedianOf(r.Value, x => x.Extras.NextJobJitSeconds, 2),
                        NextJobTieringCpuSeconds = MedianOf(r.Value, x => x.Extras.NextJobTieringCpuSeconds, 2),
                        ExecutionsPerJob = MedianOf(r.Value, x => x.Extras.ExecutionsPerJob, 1),
                        HistoryEventsPerJob = MedianOf(r.Value, x => x.Extras.HistoryEventsPerJob, 1),
                        MostHistoryEvents = MedianOf(r.Value, x => x.Extras.MostHistoryEvents, 0),
                    },
                };
            }).ToList());
    }

    /// <summary>The rounded median of a figure that only some paths have (null when this one does not).</summary>
    private static double? MedianOf(List<PathResult> runs, Func<PathResult, double?> figure, int digits) =>
        runs.All(r => figure(r) is not null) ? Math.Round(Median(runs.Select(r => figure(r)!.Value)), digits) : null;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Table(BenchmarkReport report)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture,
                $"{report.SizeBytes / (double)PartRules.MiB:0.#} MiB, {report.Runs} runs, {report.PartsInFlight} parts in flight, {report.ProcessorCount} cores, gen0 budget {(report.Gen0Budget is { } b ? $"{b / PartRules.MiB} MiB" : "the runtime's")}. Medians; MB = 10^6 bytes.")
            .AppendLine("MB/s: transfer and commit; parts: without the commit. x curl, x TU: speed over the curl pipe's and TransferUtility's in the same run (median).")
            .AppendLine("x same, parts x same: speed (whole, parts phase) over the curl baseline doing the same protocol (same), paired run by run.")
            .AppendLine("peak MiB: VmHWM of the path's own process (worst run). sockets, disk: bytes through its sockets and files per byte of the file.")
            .AppendLine("cpu s: CPU time of the path's process (curl rows: every curl, openssl and bash process). jit s: time in the JIT (wall-clock,")
            .AppendLine("JitInfo); tier s: CPU of the tiered compilation worker. cpu/GiB: CPU seconds per GiB without tier s; x same cpu: over the same-work baseline's.")
            .AppendLine("next jit, next tier: the same figures for one more (6 MiB) job the same process ran after the measured one.")
            .AppendLine("engine-cli rows: MB/s over the jobs' own time by the engine's clock; process s: the whole `uploader` run, sandbox start and read-back included.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture,
                $"{"path",-19} {"MB/s",6} {"parts",6} {"x curl",6} {"x TU",5} {"same",-19} {"x same",6} {"parts x same",12} {"peak MiB",8} {"sockets",8} {"disk",5} {"commit s",8} {"cpu s",6} {"jit s",5} {"tier s",6} {"next jit",8} {"next tier",9} {"cpu/GiB",7} {"x same cpu",10} {"process s",9}  runs MB/s");
        foreach (var path in report.Paths)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{path.Path,-19} {path.MegabytesPerSecond,6:0.0} {path.PartsMegabytesPerSecond,6:0.0} {Cell(path.RatioToCurlPipe, "0.00"),6} {Cell(path.RatioToTransferUtility, "0.00"),5} " +
                $"{path.SameWorkBaseline ?? "-",-19} {Cell(path.RatioToSameWork, "0.00"),6} {Cell(path.PartsRatioToSameWork, "0.00"),12} " +
                $"{Cell(path.PeakResidentMiB, "0.0"),8} {Cell(path.SocketBytes / (double?)report.SizeBytes, "0.000"),8} {Cell(path.FileBytes / (double?)report.SizeBytes, "0.00"),5} " +
                $"{path.CommitSeconds,8:0.00} {path.CpuSeconds,6:0.00} {Cell(path.JitSeconds, "0.00"),5} {Cell(path.TieringCpuSeconds, "0.00"),6} {Cell(path.Extras.NextJobJitSeconds, "0.00"),8} {Cell(path.Extras.NextJobTieringCpuSeconds, "0.00"),9} {path.CpuSecondsPerGiB,7:0.00} {Cell(path.CpuRatioToSameWork, "0.00"),10} {Cell(path.Extras.ProcessSeconds, "0.0"),9}  {string.Join(' ', path.RunsMegabytesPerSecond)}");
        }

        foreach (var path in report.Paths.Where(p => p.Extras.ExecutionsPerJob is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{path.Path}: per job {path.Extras.ExecutionsPerJob:0.#} orchestrator executions and {path.Extras.HistoryEventsPerJob:0.#} history events; the fullest orchestration held {path.Extras.MostHistoryEvents:0}.");
        }

        if (report.Planner.Count > 0)
        {
            text.AppendLine()
                .AppendLine("A 200 GB file, from the planner and the workflow's defaults (no bytes moved): copy activities, transfer sub-orchestrations,")
                .AppendLine("and the most history events one orchestration holds (each batch: scheduled, completed, and one replay's started/completed pair).")
                .AppendLine(CultureInfo.InvariantCulture, $"{"vendor target",-34} {"part MiB",8} {"parts",6} {"batch MiB",9} {"activities",10} {"MiB/activity",12} {"slices",6} {"max events",10}");
            foreach (var row in report.Planner)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{row.Target,-34} {row.PartMiB,8:0.#} {row.Parts,6} {row.BatchMiB,9:0} {row.Activities,10} {row.MiBPerActivity,12:0} {row.SubOrchestrations,6} {row.MostHistoryEvents,10}");
            }
        }

        return text.ToString();
    }

    private static string Cell(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}

internal sealed record BenchmarkReport(long SizeBytes, int Runs, int PartsInFlight, long? Gen0Budget, int ProcessorCount, IReadOnlyList<PathReport> Paths)
{
    public IReadOnlyList<PlannerRow> Planner { get; init; } = [];
}

/// <summary>A file or folder the run made for itself (or null: none was needed), deleted at the end of a scope.</summary>
internal sealed class TemporaryPath(string? path) : IDisposable
{
    public void Dispose()
    {
        if (path is not null && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (path is not null)
        {
            File.Delete(path);
        }
    }
}

internal sealed record PathReport(
    string Path,
    double MegabytesPerSecond,
    double PartsMegabytesPerSecond,
    double? RatioToCurlPipe,
    double? PartsRatioToCurlPipe,
    double? RatioToTransferUtility,
    string? SameWorkBaseline,
    double? RatioToSameWork,
    double? PartsRatioToSameWork,
    double? PeakResidentMiB,
    long? SocketBytes,
    long? FileBytes,
    double CommitSeconds,
    double CpuSeconds,
    double? JitSeconds,
    double? TieringCpuSeconds,
    double CpuSecondsPerGiB,
    double? CpuRatioToSameWork,
    IReadOnlyList<double> RunsMegabytesPerSecond)
{
    /// <summary>Medians of the figures only some paths have.</summary>
    public PathExtras Extras { get; init; } = new();
}

/// <summary>
/// What the planner and the workflow's defaults make of a 200 GB file for one kind of target: copy activities (one per
/// batch), transfer sub-orchestrations, and a bound on the history events of the fullest orchestration.
/// </summary>
internal sealed record PlannerRow(string Target, double PartMiB, int Parts, double BatchMiB, int Activities, double MiBPerActivity, int SubOrchestrations, int MostHistoryEvents)
{
    private const long Size = 200L * 1000 * 1000 * 1000;

    /// <summary>Per activity: TaskScheduled, TaskCompleted, and at most one OrchestratorStarted/Completed pair for the replay its completion wakes.</summary>
    private const int EventsPerActivity = 4;

    /// <summary>ExecutionStarted, ExecutionCompleted and the first replay's pair.</summary>
    private const int EventsPerOrchestration = 4;

    /// <summary>
    /// The job's own activities besides the copies, at most: prepare, commit, Finish, and when Finish hands its steps
    /// back, metadata, categories, status, the processing check and the archive on their own.
    /// </summary>
    private const int JobSteps = 8;

    public static IReadOnlyList<PlannerRow> For200GB()
    {
        var settings = new WorkflowSettings();
        var url = new Uri("http://127.0.0.1/planner");
        TransferTargetSpec[] targets =
        [
            new AzureBlobSasTargetSpec(url), // MediaValet
            new S3MultipartTargetSpec(url, "bucket", "key"), // Panopto (and the S3 SDK path)
            new PhasedChunkTargetSpec(url, "asset", "file.mp4"), // Prepr
        ];
        return [.. targets.Select(target =>
        {
            var plan = PartPlanner.Plan(Size, target.GetPartRules());
            var batches = plan.GetBatches(settings.BatchBytes);
            var perSlice = Math.Max(1, settings.BatchesPerSubOrchestration);
            var slices = batches.Count <= perSlice ? 0 : (batches.Count + perSlice - 1) / perSlice;
            var parent = (EventsPerActivity * (JobSteps + (slices == 0 ? batches.Count : slices))) + EventsPerOrchestration;
            var slice = slices == 0 ? 0 : (EventsPerActivity * perSlice) + EventsPerOrchestration;
            return new PlannerRow(
                target.GetPartRules().Target,
                plan.PartSize / (double)PartRules.MiB,
                plan.PartCount,
                batches.Max(b => b.PartCount) * plan.PartSize / (double)PartRules.MiB,
                batches.Count,
                Size / (double)PartRules.MiB / batches.Count,
                slices,
                Math.Max(parent, slice));
        })];
    }
}
