using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using FunctionsUploader.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Transfer;

/// <summary>
/// An S3 multipart upload through AWSSDK.S3 on a configurable endpoint (Panopto's UploadTarget, s3rver, AWS).
/// Each part streams from a ranged read into UploadPart; its ETag must be the MD5 computed on the way, unless the spec
/// says the server promises no such thing (<see cref="S3MultipartTargetSpec.ETagsAreMd5"/> false: Panopto's samples
/// treat its target as a minimal S3 server and pass ETags through), when a different one is logged and passed on as
/// answered. A HEAD after the commit that fails is logged; only one that answers a different length fails the commit.
/// </summary>
public sealed class S3MultipartTarget : ITransferTarget, IDisposable
{
    private const int SdkBufferSize = 64 * 1024;

    private readonly S3MultipartTargetSpec _spec;
    private readonly AmazonS3Client _s3;
    private readonly S3PayloadSigning _signing;
    private readonly ILogger _logger;
    private string? _uploadId;

    /// <param name="credentials">Supplied at build time, never part of the spec (Panopto accepts any dummy pair).</param>
    public S3MultipartTarget(S3MultipartTargetSpec spec, AWSCredentials credentials, TransferOptions? options = null, ILogger<S3MultipartTarget>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(credentials);
        _spec = spec;
        _uploadId = spec.UploadId;
        _logger = logger ?? NullLogger<S3MultipartTarget>.Instance;
        var https = spec.ServiceUrl.Scheme == Uri.UriSchemeHttps;
        _signing = spec.PayloadSigning == S3PayloadSigning.Auto
            ? https ? S3PayloadSigning.Unsigned : S3PayloadSigning.Signed
            : spec.PayloadSigning;
        if (_signing == S3PayloadSigning.Unsigned && !https)
        {
            throw new TransferRefusedException($"Unsigned payloads need https; {BlobSas.Redact(spec.ServiceUrl)} is http. Use Signed (or Auto).");
        }

        _s3 = new AmazonS3Client(credentials, CreateConfig(spec, options ?? new TransferOptions()));
        Rules = spec.GetPartRules();
        Name = $"s3://{spec.Bucket}/{spec.Key} at {BlobSas.Redact(spec.ServiceUrl)}";
    }

    public string Name { get; }

    public PartRules Rules { get; }

    /// <summary>The upload parts go to: the spec's, or the one <see cref="StartAsync"/> created.</summary>
    public string? UploadId => _uploadId;

    /// <summary>The client settings a spec stands for; the engine owns retries, so the SDK makes none.</summary>
    public static AmazonS3Config CreateConfig(S3MultipartTargetSpec spec, TransferOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config
        {
            ServiceURL = spec.ServiceUrl.ToString(),
            ForcePathStyle = spec.ForcePathStyle,
            AuthenticationRegion = spec.Region,
            MaxErrorRetry = 0,
            // The SDK allocates this buffer per request: below 85,000 bytes it stays off the large object heap.
            BufferSize = Math.Min(options.CopyBufferSize, SdkBufferSize),
            Timeout = options.AttemptTimeout,
        };
        if (spec.ChecksumsOnlyWhenRequired)
        {
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        return config;
    }

    /// <summary>Creates the multipart upload unless the spec names one; store the id with the job before sending parts.</summary>
    public async Task<string> StartAsync(string? contentType = null, CancellationToken cancellationToken = default)
    {
        if (_uploadId is not null)
        {
            return _uploadId;
        }

        var response = await _s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = _spec.Bucket, Key = _spec.Key, ContentType = contentType },
            cancellationToken);
        return _uploadId = response.UploadId;
    }

    /// <summary>
    /// Nothing is listed: s3rver (and perhaps Panopto) answer ListParts with 405, so a rerun sends every part of
    /// its batch again; re-uploading a part number replaces it, and the commit uses the latest ETags.
    /// </summary>
    public Task<IReadOnlyDictionary<int, PartReceipt>> GetHeldPartsAsync(PartPlan plan, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<int, PartReceipt>>(new Dictionary<int, PartReceipt>());

    public async Task<PartReceipt> SendPartAsync(ITransferSource source, Part part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var uploadId = RequireUploadId();
        await using var body = await RewindablePartStream.OpenAsync(ct => source.OpenReadAsync(part.Offset, part.Length, ct), part.Length, hash: true, cancellationToken);
        var response = await _s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _spec.Bucket,
            Key = _spec.Key,
            UploadId = uploadId,
            PartNumber = part.Number,
            PartSize = part.Length,
            InputStream = body,
            UseChunkEncoding = _signing == S3PayloadSigning.Chunked,
            DisablePayloadSigning = _signing == S3PayloadSigning.Unsigned,
        }, cancellationToken);
        if (response.ETag is not { Length: > 0 } etag)
        {
            throw new TransferIntegrityException($"{Name} answered {part} without an ETag, which the completion needs.", part.Number);
        }

        if (_spec.ETagsAreMd5)
        {
            return S3PartETag.Receipt(part, Name, body.Md5Hex, etag);
        }

        if (!string.Equals(etag.Trim('"'), body.Md5Hex, StringComparison.OrdinalIgnoreCase))
        {
            _logger.PartETagNotMd5(Name, part.Number, etag, body.Md5Hex);
        }

        return new PartReceipt(part.Number, part.Length, body.Md5Hex, etag);
    }

    public async Task<CommitResult> CommitAsync(PartPlan plan, IReadOnlyCollection<PartReceipt> receipts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var ordered = plan.CheckComplete(receipts, Name);
        var completed = await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _spec.Bucket,
            Key = _spec.Key,
            UploadId = RequireUploadId(),
            PartETags = ordered.Select(r => new PartETag(r.PartNumber, r.Tag)).ToList(),
        }, cancellationToken);
        try
        {
            var head = await _s3.GetObjectMetadataAsync(_spec.Bucket, _spec.Key, cancellationToken);
            if (head.ContentLength != plan.FileLength)
            {
                throw new TransferIntegrityException($"{Name} holds {head.ContentLength} bytes after the commit; the file has {plan.FileLength}.");
            }
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The upload is complete either way; a server without (or failing) HEAD says nothing against its bytes.
            _logger.CommittedSizeUnavailable(Name, e is AmazonServiceException s3 ? $"{(int)s3.StatusCode} {s3.ErrorCode}: {s3.Message}" : e.Message);
        }

        _logger.Committed(ordered.Count, plan.FileLength, Name);
        return new CommitResult(plan.FileLength, completed.ETag);
    }

    public async Task AbortAsync(CancellationToken cancellationToken = default)
    {
        if (_uploadId is null)
        {
            return;
        }

        try
        {
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _spec.Bucket, Key = _spec.Key, UploadId = _uploadId }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload")
        {
            // Already aborted or completed: compensation is idempotent.
        }
    }

    public void Dispose() => _s3.Dispose();

    private string RequireUploadId() =>
        _uploadId ?? throw new InvalidOperationException($"{Name} has no multipart upload yet: call StartAsync and keep the id with the job.");
}
