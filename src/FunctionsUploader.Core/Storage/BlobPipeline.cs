using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsUploader.Storage;

/// <summary>Tunables of the blob client; the defaults suit staging-to-vendor copies.</summary>
public sealed class BlobClientOptions : ClientOptions
{
    public BlobClientOptions()
    {
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(500);
        Retry.MaxDelay = TimeSpan.FromSeconds(10);
        Retry.Mode = RetryMode.Exponential;
        Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
    }

    /// <summary>The buffer one streamed request body is copied through.</summary>
    public int CopyBufferSize { get; set; } = 1024 * 1024;
}

/// <summary>The HTTP pipeline and credentials one account's clients share: long-lived and thread-safe.</summary>
internal sealed class BlobPipeline
{
    private static readonly ResponseClassifier NoRetry = new NoRetryClassifier();

    public BlobPipeline(HttpPipeline pipeline, StorageSharedKey? sharedKey, int copyBufferSize)
    {
        Pipeline = pipeline;
        SharedKey = sharedKey;
        CopyBufferSize = copyBufferSize;
    }

    public HttpPipeline Pipeline { get; }

    public StorageSharedKey? SharedKey { get; }

    public int CopyBufferSize { get; }

    public static BlobPipeline Create(BlobClientOptions options, HttpPipelinePolicy? auth, StorageSharedKey? sharedKey)
    {
        var perRetry = new List<HttpPipelinePolicy> { new StorageHeadersPolicy() };
        if (auth is not null)
        {
            perRetry.Add(auth);
        }

        var pipeline = HttpPipelineBuilder.Build(options, [], [.. perRetry], new ResponseClassifier());
        return new BlobPipeline(pipeline, sharedKey, options.CopyBufferSize);
    }

    /// <summary>Sends one request; statuses outside <paramref name="expected"/> become <see cref="BlobStorageException"/>.</summary>
    public async Task<Response> SendAsync(
        string operation,
        string resource,
        RequestMethod method,
        Uri uri,
        Action<Request>? configure,
        int[] expected,
        CancellationToken cancellationToken)
    {
        var message = await SendMessageAsync(operation, resource, method, uri, configure, expected, bufferResponse: true, cancellationToken);
        return message.Response;
    }

    /// <summary>Sends one request and hands back its body straight off the network; the caller disposes the stream.</summary>
    public async Task<Stream> SendForStreamAsync(
        string operation,
        string resource,
        RequestMethod method,
        Uri uri,
        Action<Request>? configure,
        int[] expected,
        Action<Response> validate,
        CancellationToken cancellationToken)
    {
        using var message = await SendMessageAsync(operation, resource, method, uri, configure, expected, bufferResponse: false, cancellationToken);
        validate(message.Response);
        return message.ExtractResponseContent() ?? Stream.Null;
    }

    private async Task<HttpMessage> SendMessageAsync(
        string operation,
        string resource,
        RequestMethod method,
        Uri uri,
        Action<Request>? configure,
        int[] expected,
        bool bufferResponse,
        CancellationToken cancellationToken)
    {
        var message = Pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        configure?.Invoke(message.Request);
        message.BufferResponse = bufferResponse;
        if (message.Request.Content is ForwardOnlyContent)
        {
            // The body cannot be replayed: the transfer engine retries the whole part instead.
            message.ResponseClassifier = NoRetry;
        }

        try
        {
            await Pipeline.SendAsync(message, cancellationToken);
            if (!expected.Contains(message.Response.Status))
            {
                if (!bufferResponse && message.Response.ContentStream is { } unbuffered)
                {
                    // Error bodies are small: read it so the exception can quote the service's code and message.
                    var copy = new MemoryStream();
                    await unbuffered.CopyToAsync(copy, cancellationToken);
                    copy.Position = 0;
                    message.Response.ContentStream = copy;
                }

                throw BlobStorageException.FromResponse(operation, resource, message.Response);
            }

            return message;
        }
        catch (RequestFailedException e) when (e.Status == 0)
        {
            message.Dispose();
            throw BlobStorageException.FromTransportFailure(operation, resource, e.InnerException ?? e);
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    private sealed class NoRetryClassifier : ResponseClassifier
    {
        public override bool IsRetriableResponse(HttpMessage message) => false;

        public override bool IsRetriableException(Exception exception) => false;

        public override bool IsRetriable(HttpMessage message, Exception exception) => false;
    }
}
