using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using FunctionsUploader.Simulators.Tenants;
using FunctionsUploader.Tests.Fixtures;

namespace FunctionsUploader.Tests.Simulators.Clients;

/// <summary>A Panopto client as small as a test needs: OAuth password grant and REST calls with the Bearer token.</summary>
internal sealed class PanoptoTestClient(Simulator simulator, SimulatorTenant tenant)
{
    public string? AccessToken { get; set; }

    public async Task<VendorAnswer> LogInAsync(string scope = "openid api")
    {
        var credentials = tenant.Credentials.Panopto;
        var answer = await VendorCall.FormAsync(new Uri(simulator.Instance.Panopto, "Panopto/oauth2/connect/token"),
            [KeyValuePair.Create("grant_type", "password"), KeyValuePair.Create("username", credentials.Username), KeyValuePair.Create("password", credentials.Password), KeyValuePair.Create("scope", scope)],
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.ClientId}:{credentials.ClientSecret}"))));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AccessToken = answer.Text("access_token");
        return answer;
    }

    public Task<VendorAnswer> CallAsync(HttpMethod method, string path, object? body = null) =>
        VendorCall.JsonAsync(method, new Uri(simulator.Instance.Panopto, "Panopto/PublicAPI/REST/" + path), body,
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken));

    /// <summary>PUT sessionUpload/{ID} with the object POST returned and State 1, as Panopto's samples do.</summary>
    public Task<VendorAnswer> FinishAsync(VendorAnswer created)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(created.Body.GetRawText())!.AsObject();
        body["State"] = 1;
        return CallAsync(HttpMethod.Put, $"sessionUpload/{created.Text("ID")}", body);
    }

    /// <summary>An S3 client for an UploadTarget "{service URL}{bucket}/{key prefix}", with the tenant's upload keys.</summary>
    public S3Target UploadTarget(string uploadTarget)
    {
        var target = FunctionsUploader.Vendors.Panopto.PanoptoUploadTarget.Parse(uploadTarget)!;
        var client = new AmazonS3Client(new BasicAWSCredentials(tenant.Credentials.Panopto.UploadAccessKey, tenant.Credentials.Panopto.UploadSecretKey), new AmazonS3Config
        {
            ServiceURL = target.ServiceUrl.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        return new S3Target(client, target.Bucket, target.KeyPrefix);
    }
}

internal sealed class S3Target(AmazonS3Client client, string bucket, string prefix) : IAsyncDisposable
{
    public async Task PutMultipartAsync(string fileName, byte[] data, int partSize, Func<int, string, string>? etagOf = null)
    {
        var key = $"{prefix}/{fileName}";
        var start = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key });
        var parts = new List<PartETag>();
        for (var (offset, number) = (0, 1); offset < data.Length; offset += partSize, number++)
        {
            var size = Math.Min(partSize, data.Length - offset);
            var part = await client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = start.UploadId,
                PartNumber = number,
                PartSize = size,
                InputStream = new MemoryStream(data, offset, size),
                UseChunkEncoding = false,
            });
            parts.Add(new PartETag(number, etagOf?.Invoke(number, part.ETag) ?? part.ETag));
        }

        await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = start.UploadId, PartETags = parts });
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
