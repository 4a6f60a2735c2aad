using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FunctionsUploader.Storage;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Jobs;

/// <summary>
/// What a job keeps outside the orchestration: the vendor session (upload URLs, ids), part receipts. These may
/// hold signed URLs, so they live here, in private storage, and never in orchestration inputs, outputs or status.
/// </summary>
public interface IJobStore
{
    Task PutAsync<T>(string jobId, string name, T value, CancellationToken cancellationToken = default);

    /// <summary>The document, or null when the job has none by that name.</summary>
    Task<T?> GetAsync<T>(string jobId, string name, CancellationToken cancellationToken = default)
        where T : class;

    /// <summary>
    /// Takes the job's lock named <paramref name="name"/>, waiting while another holder has it (the engine may deliver
    /// an activity twice, here or in another process), and holds it until the result is disposed.
    /// </summary>
    Task<JobLock> LockAsync(string jobId, string name, CancellationToken cancellationToken = default);
}

/// <summary>A held job lock (<see cref="IJobStore.LockAsync"/>). <see cref="Lost"/> fires if the hold lapsed before it was let go.</summary>
public sealed class JobLock(CancellationToken lost, Func<ValueTask> release) : IAsyncDisposable
{
    /// <summary>How often a waiting taker tries again.</summary>
    internal static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(500);

    public CancellationToken Lost { get; } = lost;

    public ValueTask DisposeAsync() => release();
}

/// <summary>The job store in a private blob container (the Functions app): &lt;jobId&gt;/&lt;name&gt;.json.</summary>
public sealed class BlobJobStore(BlobContainerClient container) : IJobStore
{
    private int _created;

    /// <summary>A blob lease lasts this long unless renewed (15 s is the shortest Azure grants); a killed holder's lapses.</summary>
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    public async Task PutAsync<T>(string jobId, string name, T value, CancellationToken cancellationToken = default)
    {
        await CreateContainerAsync(cancellationToken);
        var blob = container.GetBlobClient($"{jobId}/{name}.json");
        var content = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(value, WorkflowJson.Options));
        await BlobErrors.RunAsync("Put Blob", blob, () => blob.UploadAsync(content, JsonDocumentOptions, cancellationToken));
    }

    public async Task<T?> GetAsync<T>(string jobId, string name, CancellationToken cancellationToken = default)
        where T : class
    {
        var blob = container.GetBlobClient($"{jobId}/{name}.json");
        if (await BlobReads.PropertiesOrNullAsync(blob, cancellationToken) is not { ContentLength: > 0 } properties)
        {
            return null;
        }

        var content = await BlobReads.ContentAsync(blob, properties, cancellationToken);
        return content.ToObjectFromJson<T>(WorkflowJson.Options);
    }

    /// <summary>A lease on the empty blob &lt;jobId&gt;/&lt;name&gt;.lock, renewed every third of its duration until let go.</summary>
    public async Task<JobLock> LockAsync(string jobId, string name, CancellationToken cancellationToken = default)
    {
        await CreateContainerAsync(cancellationToken);
        var blob = container.GetBlobClient($"{jobId}/{name}.lock");
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = Azure.ETag.All } }, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status is 409 or 412)
        {
            // There already, and perhaps leased: the lease decides.
        }

        var lease = blob.GetBlobLeaseClient();
        while (true)
        {
            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
                break;
            }
            catch (Azure.RequestFailedException e) when (e.Status == 409)
            {
                await Task.Delay(JobLock.Retry, cancellationToken);
            }
        }

        var lost = new CancellationTokenSource();
        var stop = new CancellationTokenSource();
        var renewing = RenewAsync(lease, lost, stop.Token);
        return new JobLock(lost.Token, async () =>
        {
            await stop.CancelAsync();
            await renewing;
            try
            {
                await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
            }
            catch (Azure.RequestFailedException)
            {
                // Lapsed or taken over: nothing to let go.
            }

            stop.Dispose();
            lost.Dispose();
        });
    }

    private static async Task RenewAsync(BlobLeaseClient lease, CancellationTokenSource lost, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(LeaseDuration / 3, stop);
                await lease.RenewAsync(cancellationToken: stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or IOException)
        {
            // Refused, or no answer in time: the lease may lapse before the next try, so the holder stops now.
            await lost.CancelAsync();
        }
    }

    private async Task CreateContainerAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _created, 1) == 0)
        {
            await BlobErrors.RunAsync("Create Container", container, () => container.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        }
    }

    /// <summary>A JSON document, replacing any earlier one of the same name.</summary>
    internal static BlobUploadOptions JsonDocumentOptions => new() { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } };
}

/// <summary>The job store in a local folder (the CLI): written to a temp file and renamed, so a kill never leaves half a document.</summary>
public sealed class FileJobStore(string directory) : IJobStore
{
    public string Directory { get; } = System.IO.Directory.CreateDirectory(directory).FullName;

    public async Task PutAsync<T>(string jobId, string name, T value, CancellationToken cancellationToken = default)
    {
        var path = PathOf(jobId, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, JsonSerializer.SerializeToUtf8Bytes(value, WorkflowJson.Options), cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    public async Task<T?> GetAsync<T>(string jobId, string name, CancellationToken cancellationToken = default)
        where T : class
    {
        var path = PathOf(jobId, name);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<T>(stream, WorkflowJson.Options, cancellationToken);
    }

    /// <summary>
    /// An exclusive open of &lt;name&gt;.lock in the job's folder (FileShare.None: an advisory lock the system drops
    /// with the process, so a killed holder never leaves it taken).
    /// </summary>
    public async Task<JobLock> LockAsync(string jobId, string name, CancellationToken cancellationToken = default)
    {
        var path = Path.ChangeExtension(PathOf(jobId, name), ".lock");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                var held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new JobLock(CancellationToken.None, () => held.DisposeAsync());
            }
            catch (IOException)
            {
                await Task.Delay(JobLock.Retry, cancellationToken);
            }
        }
    }

    private string PathOf(string jobId, string name) =>
        Path.Combine(Directory, string.Concat(jobId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_')), name + ".json");
}
