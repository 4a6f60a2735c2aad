using System.Text.Json;
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
}

/// <summary>The job store in a private blob container (the Functions app): &lt;jobId&gt;/&lt;name&gt;.json.</summary>
public sealed class BlobJobStore(IBlobContainerClient container) : IJobStore
{
    private int _created;

    public async Task PutAsync<T>(string jobId, string name, T value, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _created, 1) == 0)
        {
            await container.CreateIfNotExistsAsync(cancellationToken);
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, WorkflowJson.Options);
        await container.GetBlobClient($"{jobId}/{name}.json").UploadAsync(new MemoryStream(bytes), bytes.Length, new BlobUploadOptions { ContentType = "application/json" }, cancellationToken);
    }

    public async Task<T?> GetAsync<T>(string jobId, string name, CancellationToken cancellationToken = default)
        where T : class
    {
        var blob = container.GetBlobClient($"{jobId}/{name}.json");
        BlobProperties properties;
        try
        {
            properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        }
        catch (BlobStorageException e) when (e.Status == 404)
        {
            return null;
        }

        if (properties.Length == 0)
        {
            return null;
        }

        await using var stream = await blob.OpenReadAsync(0, properties.Length, BlobConditions.IfUnchanged(properties.ETag), cancellationToken);
        return await JsonSerializer.DeserializeAsync<T>(stream, WorkflowJson.Options, cancellationToken);
    }
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

    private string PathOf(string jobId, string name) =>
        Path.Combine(Directory, string.Concat(jobId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_')), name + ".json");
}
