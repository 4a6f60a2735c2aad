using Amazon.S3;
using Amazon.S3.Model;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Simulators.Emulators;

/// <summary>
/// What a vendor that hands out presigned part URLs (Picovico) does on its S3 bucket: opens a multipart upload and
/// signs one PUT URL per part. For tests, the benchmark and the vendor simulators, against s3rver.
/// </summary>
public static class S3PresignedParts
{
    public static async Task<PresignedPartsTargetSpec> OpenAsync(IAmazonS3 s3, string bucket, string key, long partSize, int parts, TimeSpan validFor)
    {
        ArgumentNullException.ThrowIfNull(s3);
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key });
        var urls = new List<Uri>(parts);
        for (var number = 1; number <= parts; number++)
        {
            urls.Add(new Uri(await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
            {
                BucketName = bucket,
                Key = key,
                Verb = HttpVerb.PUT,
                UploadId = upload.UploadId,
                PartNumber = number,
                Protocol = s3.Config.ServiceURL?.StartsWith("http:", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
                Expires = DateTime.UtcNow + validFor,
            })));
        }

        return new PresignedPartsTargetSpec(upload.UploadId, partSize, urls);
    }
}
