using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using FunctionsUploader.Simulators.Emulators;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Tests.Transfer;

/// <summary>s3rver through AWSSDK.S3 with the settings the product uses: to open uploads, presign parts and read back what landed.</summary>
internal static class S3Objects
{
    public static readonly AWSCredentials Credentials = new BasicAWSCredentials(LocalEmulators.S3AccessKey, LocalEmulators.S3SecretKey);

    public static S3MultipartTargetSpec Spec(Emulators emulators, string key) =>
        new(emulators.Local.S3Endpoint, Emulators.S3Bucket, key) { PartSize = PartRules.S3MinPartSize };

    public static AmazonS3Client Client(Emulators emulators) =>
        new(Credentials, S3MultipartTarget.CreateConfig(Spec(emulators, "any"), new TransferOptions()));

    public static string NewKey(string name) => $"{Guid.NewGuid():N}/{name}";

    /// <summary>What a vendor does for Picovico: opens a multipart upload and signs one PUT URL per part.</summary>
    public static async Task<PresignedPartsTargetSpec> PresignAsync(IAmazonS3 s3, string key, long partSize, int parts, Uri? through = null)
    {
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Emulators.S3Bucket, Key = key });
        var urls = new List<Uri>();
        for (var number = 1; number <= parts; number++)
        {
            var url = new Uri(await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
            {
                BucketName = Emulators.S3Bucket,
                Key = key,
                Verb = HttpVerb.PUT,
                UploadId = upload.UploadId,
                PartNumber = number,
                Protocol = Protocol.HTTP,
                Expires = DateTime.UtcNow.AddHours(1),
            }));
            urls.Add(through is null ? url : new UriBuilder(url) { Port = through.Port }.Uri);
        }

        return new PresignedPartsTargetSpec(upload.UploadId, partSize, urls);
    }

    /// <summary>The vendor's finalize: CompleteMultipartUpload with the receipts' ETags.</summary>
    public static Task CompleteAsync(IAmazonS3 s3, string key, string uploadId, IEnumerable<PartReceipt> receipts) =>
        s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Emulators.S3Bucket,
            Key = key,
            UploadId = uploadId,
            PartETags = receipts.OrderBy(r => r.PartNumber).Select(r => new PartETag(r.PartNumber, r.Tag)).ToList(),
        });

    public static async Task<string> Md5HexAsync(IAmazonS3 s3, string key)
    {
        using var response = await s3.GetObjectAsync(Emulators.S3Bucket, key);
        return Convert.ToHexStringLower(await MD5.HashDataAsync(response.ResponseStream));
    }
}
