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

    /// <summary>What Picovico does: opens a multipart upload and signs a PUT URL per part (pointing at <paramref name="through"/>'s port when given).</summary>
    public static async Task<PresignedPartsTargetSpec> PresignAsync(IAmazonS3 s3, string key, long partSize, int parts, Uri? through = null)
    {
        var spec = await S3PresignedParts.OpenAsync(s3, Emulators.S3Bucket, key, partSize, parts, TimeSpan.FromHours(1));
        return through is null ? spec : spec with { PartUrls = spec.PartUrls.Select(u => new UriBuilder(u) { Port = through.Port }.Uri).ToList() };
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
