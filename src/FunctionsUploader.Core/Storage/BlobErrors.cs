using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace FunctionsUploader.Storage;

/// <summary>
/// Where our code calls Azure.Storage.Blobs: its <see cref="RequestFailedException"/> names no blob and drops
/// Retry-After, so each call is run through here and fails as a <see cref="BlobStorageException"/> that says both.
/// </summary>
public static class BlobErrors
{
    /// <summary>"container/blob": how messages name a blob (never with its URL's query string).</summary>
    public static string NameOf(BlobBaseClient blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return $"{blob.BlobContainerName}/{blob.Name}";
    }

    public static async Task<T> RunAsync<T>(string operation, string resource, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call();
        }
        catch (RequestFailedException e)
        {
            throw BlobStorageException.From(operation, resource, e);
        }
    }

    public static Task<T> RunAsync<T>(string operation, BlobBaseClient blob, Func<Task<T>> call) =>
        RunAsync(operation, NameOf(blob), call);

    public static Task<T> RunAsync<T>(string operation, BlobContainerClient container, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(container);
        return RunAsync(operation, container.Name, call);
    }
}
