using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using FunctionsUploader.Intake;
using FunctionsUploader.Simulators.Emulators;
using FunctionsUploader.Storage;
using FunctionsUploader.Tests.Transfer;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Tests.Storage;

/// <summary>
/// The production path, managed identity, against a real Azurite over HTTPS with --oauth basic, which checks a bearer
/// token's issuer, audience and lifetime (not its signature) and issues user delegation keys. Azure.Core refuses bearer
/// tokens over plain HTTP, so this is as far as a TokenCredential can be exercised without Azure. The certificate is
/// made here, at test time, and lives only in the test's temp folder.
/// </summary>
public sealed class TokenCredentialTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-oauth-").FullName;
    private X509Certificate2? _certificate;
    private EmulatorProcess? _azurite;

    public async Task InitializeAsync()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(_folder, "cert.pem");
        var keyPath = Path.Combine(_folder, "key.pem");
        await File.WriteAllTextAsync(certPath, _certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, rsa.ExportPkcs8PrivateKeyPem());

        _azurite = await EmulatorProcess.StartAsync(EmulatorInstallation.Locate(), "azurite", "azurite-blob", port =>
            ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture),
             "--disableTelemetry", "--silent", "--location", Path.Combine(_folder, "data"), "--cert", certPath, "--key", keyPath, "--oauth", "basic"],
            https: true);
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        _certificate?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_token_credential_is_asked_for_the_storage_scope_and_its_token_authorizes_writes_and_reads()
    {
        var credential = new JwtCredential(TimeSpan.FromHours(1));
        var staging = Staging(credential);
        await staging.Staging.CreateIfNotExistsAsync();
        var data = TestData.Bytes(2048, seed: 11);
        await staging.Staging.GetBlobClient("by-token.bin").UploadAsync(BinaryData.FromBytes(data));

        var source = await BlobTransferSource.OpenAsync(staging.Staging.GetBlobClient("by-token.bin"), staging.Delegation);
        await using var read = await source.OpenReadAsync(0, data.Length);

        Assert.Equal(data, await TestData.ReadAllAsync(read));
        Assert.NotEmpty(credential.RequestedScopes);
        Assert.All(credential.RequestedScopes, scope => Assert.Equal(BlobClients.StorageScope, scope));
    }

    [Fact]
    public async Task Server_side_copy_reads_the_staging_blob_through_a_user_delegation_sas_and_lands_byte_exact()
    {
        var staging = Staging(new JwtCredential(TimeSpan.FromHours(1)));
        await staging.Staging.CreateIfNotExistsAsync();
        var data = TestData.Bytes(3 * 64 * 1024 + 5, seed: 12);
        await staging.Staging.GetBlobClient("dam/keynote.mp4").UploadAsync(BinaryData.FromBytes(data));
        var source = await BlobTransferSource.OpenAsync(staging.Staging.GetBlobClient("dam/keynote.mp4"), staging.Delegation);
        // The vendor's side: its own container and a service SAS signed with its account key, as MediaValet hands out.
        var vendor = new BlobServiceClient(
            $"DefaultEndpointsProtocol=https;AccountName={LocalEmulators.AzuriteAccountName};AccountKey={LocalEmulators.AzuriteAccountKey};BlobEndpoint={Endpoint};",
            BlobClients.Options(maxRetries: 0, TrustingTransport()));
        var assets = vendor.GetBlobContainerClient("assets");
        await assets.CreateIfNotExistsAsync();
        var destination = assets.GetBlockBlobClient("upload-1/keynote.mp4");
        var uploadUrl = destination.GenerateSasUri(BlobSasPermissions.Read | BlobSasPermissions.Create | BlobSasPermissions.Write, DateTimeOffset.UtcNow.AddHours(1));
        var target = new AzureBlobSasTarget(new AzureBlobSasTargetSpec(uploadUrl) { BlockSize = 64 * 1024, ServerSideCopy = true }, transport: TrustingTransport());
        var counting = new CountingSource(source);

        var readable = await source.GetServiceReadableSourceAsync(TimeSpan.FromMinutes(5));
        var result = await new TransferEngine().TransferAsync(counting, target);

        Assert.Equal(0, counting.BytesRead); // every block was copied by the service, none streamed through us
        Assert.Equal(4, result.Receipts.Count);
        Assert.Equal(TestData.Md5Hex(data), await StagingBlobs.Md5HexAsync(destination));
        // A user delegation SAS (signed object id, no account key anywhere), and it prints without its signature.
        Assert.Contains("skoid=", readable!.Url.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", readable.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", target.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_is_refused_with_a_message_that_names_the_blob()
    {
        var staging = Staging(new JwtCredential(TimeSpan.FromMinutes(-5)));

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => BlobTransferSource.OpenAsync(staging.Staging.GetBlobClient("late.bin")));

        Assert.True(error.Status is 401 or 403, $"status {error.Status}");
        Assert.Contains($"{staging.Staging.Name}/late.bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_managed_identity_over_plain_http_is_refused_at_start_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new StagingAccount(
            new StagingOptions { BlobEndpoint = new Uri("http://127.0.0.1:1/devstoreaccount1") }, BlobClients.Options(maxRetries: 0), new JwtCredential(TimeSpan.FromHours(1))));

        Assert.Contains("Uploader:Staging:BlobEndpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("must be https", error.Message, StringComparison.Ordinal);
    }

    private Uri Endpoint => new(_azurite!.BaseUri, LocalEmulators.AzuriteAccountName);

    /// <summary>Staging as production configures it: a blob endpoint and a credential, no key.</summary>
    private StagingAccount Staging(TokenCredential credential) =>
        new(new StagingOptions { BlobEndpoint = Endpoint, Container = "staging-" + Guid.NewGuid().ToString("N")[..8] }, BlobClients.Options(maxRetries: 0, TrustingTransport()), credential);

    private HttpClientTransport TrustingTransport()
    {
        var thumbprint = _certificate!.Thumbprint;
        return new HttpClientTransport(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == thumbprint });
    }

    /// <summary>Issues unsigned JWTs with a storage audience and an Entra issuer, as Azurite's basic OAuth checks.</summary>
    private sealed class JwtCredential(TimeSpan lifetime) : TokenCredential
    {
        public List<string> RequestedScopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (RequestedScopes)
            {
                RequestedScopes.AddRange(requestContext.Scopes);
            }

            var now = DateTimeOffset.UtcNow;
            var expires = now + lifetime;
            var payload = new
            {
                aud = "https://storage.azure.com",
                iss = "https://sts.windows.net/ab1f708d-50f6-404c-a006-d71b2ac7a606/",
                nbf = now.AddHours(-2).ToUnixTimeSeconds(),
                iat = now.AddHours(-2).ToUnixTimeSeconds(),
                exp = expires.ToUnixTimeSeconds(),
                oid = Guid.Empty,
                tid = "ab1f708d-50f6-404c-a006-d71b2ac7a606",
            };
            var token = $"{Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Base64Url(JsonSerializer.Serialize(payload))}.";
            return new AccessToken(token, expires > now ? expires : now.AddMinutes(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));

        private static string Base64Url(string json) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
