using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using FunctionsUploader.Simulators.Inspection;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Simulators.Storage;

/// <summary>
/// The S3 bucket (s3rver in tests) behind Picovico's presigned part URLs and Panopto's upload target. Bytes go there
/// straight from the client; the simulator only opens, completes, lists and reads back.
/// </summary>
internal sealed class S3Storage : IDisposable
{
    private readonly AmazonS3Client _client;

    public S3Storage(IOptions<SimulatorOptions> options)
    {
        var value = options.Value;
        Endpoint = value.S3Endpoint
            ?? throw new InvalidOperationException("Simulator:S3Endpoint is not set: the Picovico and Panopto simulators store bytes in S3 (s3rver).");
        Bucket = value.S3Bucket;
        _client = new AmazonS3Client(new BasicAWSCredentials(value.S3AccessKey, value.S3SecretKey), ClientConfig(Endpoint));
    }

    /// <summary>The S3 service URL, ending in '/'.</summary>
    public Uri Endpoint { get; }

    public string Bucket { get; }

    /// <summary>
    /// Path-style, us-east-1, and checksums only when required: AWSSDK.S3 4.x otherwise frames bodies as aws-chunked,
    /// which s3rver stores verbatim (EMULATORS.md). Clients of the simulated vendors need the same settings.
    /// </summary>
    public static AmazonS3Config ClientConfig(Uri serviceUrl) => new()
    {
        ServiceURL = serviceUrl.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    };

    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // BucketAlreadyExists / BucketAlreadyOwnedByYou: the emulator was started with it.
        }
    }

    public async Task<string> StartMultipartUploadAsync(string key, string contentType, CancellationToken cancellationToken)
    {
        var response = await _client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ContentType = contentType }, cancellationToken);
        return response.UploadId;
    }

    /// <summary>A presigned UploadPart URL for one part, as a vendor hands it out.</summary>
    public async Task<Uri> PresignPartAsync(string key, string uploadId, int partNumber, DateTime expiresUtc) =>
        new(await _client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            UploadId = uploadId,
            PartNumber = partNumber,
            Expires = expiresUtc,
            Protocol = Endpoint.Scheme == Uri.UriSchemeHttps ? Protocol.HTTPS : Protocol.HTTP,
        }));

    public async Task CompleteMultipartUploadAsync(string key, string uploadId, IEnumerable<(int PartNumber, string ETag)> parts, CancellationToken cancellationToken) =>
        await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = key,
            UploadId = uploadId,
            PartETags = [.. parts.Select(p => new PartETag(p.PartNumber, p.ETag))],
        }, cancellationToken);

    /// <summary>The object's size and MD5 (and per-segment MD5s), read back from storage; null when it does not exist.</summary>
    public async Task<Digest?> DigestAsync(string key, long segmentSize, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetObjectAsync(Bucket, key, cancellationToken);
            return await ContentDigest.ComputeAsync(response.ResponseStream, segmentSize, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A small object's bytes (a manifest), or null when it is missing or larger than <paramref name="maxBytes"/>.</summary>
    public async Task<MemoryStream?> ReadSmallAsync(string key, long maxBytes, CancellationToken cancellationToken)
    {
        using var response = await _client.GetObjectAsync(Bucket, key, cancellationToken);
        if (response.ContentLength > maxBytes)
        {
            return null;
        }

        var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy, cancellationToken);
        copy.Position = 0;
        return copy;
    }

    public async IAsyncEnumerable<(string Key, long Size)> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
        ListObjectsV2Response response;
        do
        {
            response = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in response.S3Objects ?? [])
            {
                yield return (item.Key, item.Size ?? 0);
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await _client.DeleteObjectAsync(Bucket, key, cancellationToken);

    public void Dispose() => _client.Dispose();
}
