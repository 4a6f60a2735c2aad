using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using FunctionsUploader.Simulators.Emulators;
using FunctionsUploader.Storage;

namespace FunctionsUploader.Tests.Storage;

/// <summary>
/// Token authentication against a real Azurite over HTTPS with --oauth basic, which checks a bearer token's
/// issuer, audience and lifetime (not its signature). Azure.Core refuses bearer tokens over plain HTTP, so
/// this is as far as TokenCredential can be exercised without Azure.
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
            ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture), "--skipApiVersionCheck", "--loose",
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
        var account = BlobAccount.FromTokenCredential(Endpoint, credential, TrustingOptions());
        var container = account.GetContainerClient("oauth");
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient("by-token.bin");
        var data = TestData.Bytes(2048, seed: 11);

        await blob.UploadAsync(new MemoryStream(data), data.Length);

        await using var read = await blob.OpenReadAsync(0, data.Length);
        Assert.Equal(data, await TestData.ReadAllAsync(read));
        Assert.All(credential.RequestedScopes, scope => Assert.Equal(BlobAccount.StorageScope, scope));
        Assert.NotEmpty(credential.RequestedScopes);
        Assert.False(blob.CanGenerateSas);
        Assert.Throws<InvalidOperationException>(() => blob.GenerateReadSasUri(DateTimeOffset.UtcNow.AddMinutes(5)));
    }

    [Fact]
    public async Task An_expired_token_is_refused_with_a_message_that_names_the_blob()
    {
        var account = BlobAccount.FromTokenCredential(Endpoint, new JwtCredential(TimeSpan.FromMinutes(-5)), TrustingOptions());

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => account.GetBlobClient("oauth", "late.bin").GetPropertiesAsync());

        Assert.True(error.Status is 401 or 403, $"status {error.Status}");
        Assert.Contains("oauth/late.bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bearer_tokens_are_never_sent_over_plain_http()
    {
        var account = BlobAccount.FromTokenCredential(new Uri("http://127.0.0.1:1/devstoreaccount1"), new JwtCredential(TimeSpan.FromHours(1)));

        var error = Assert.ThrowsAny<Exception>(() => account.GetBlobClient("c", "b").GetPropertiesAsync().GetAwaiter().GetResult());

        Assert.Contains("TLS", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private Uri Endpoint => new(_azurite!.BaseUri, LocalEmulators.AzuriteAccountName);

    private BlobClientOptions TrustingOptions()
    {
        var thumbprint = _certificate!.Thumbprint;
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == thumbprint };
        return new BlobClientOptions { Transport = new HttpClientTransport(handler) };
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
