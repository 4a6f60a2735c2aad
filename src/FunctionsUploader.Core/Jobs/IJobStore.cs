using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
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
public sealed class BlobJobStore(BlobContainerClient container) : IJobStore
{
    private int _created;

    public async Task PutAsync<T>(string jobId, string name, T value, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _created, 1) == 0)
        {
            await BlobErrors.RunAsync("Create Container", container, () => container.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        }

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

    private string PathOf(string jobId, string name) =>
        Path.Combine(Directory, string.Concat(jobId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_')), name + ".json");
}
