using FunctionsUploader.Storage;
using FunctionsUploader.Tests.Fixtures;

namespace FunctionsUploader.Tests.Storage;

public sealed class StorageConnectionStringTests(Emulators emulators) : IClassFixture<Emulators>
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public void Development_storage_points_at_the_local_emulator_with_the_well_known_account()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1/"), parsed.BlobEndpoint);
        Assert.Equal("devstoreaccount1", parsed.SharedKey!.AccountName);
    }

    [Fact]
    public void Account_name_and_key_give_the_public_endpoint_and_explicit_endpoints_win()
    {
        var cloud = StorageConnectionString.Parse($"DefaultEndpointsProtocol=https;AccountName=media01;AccountKey={Key};EndpointSuffix=core.windows.net");
        var custom = StorageConnectionString.Parse($"AccountName=media01;AccountKey={Key};BlobEndpoint=http://127.0.0.1:12345/media01");

        Assert.Equal(new Uri("https://media01.blob.core.windows.net/"), cloud.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:12345/media01/"), custom.BlobEndpoint);
        Assert.DoesNotContain(Key, cloud.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, cloud.SharedKey!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("AccountName=a;garbage", "without 'name=value'")]
    [InlineData("DefaultEndpointsProtocol=https", "neither AccountName nor BlobEndpoint")]
    [InlineData("AccountName=media01", "neither AccountKey nor SharedAccessSignature")]
    [InlineData("BlobEndpoint=ftp://x/;AccountName=a;AccountKey=" + Key, "BlobEndpoint is not an absolute http(s) URL")]
    [InlineData("AccountName=media01;AccountKey=not*base64!secret", "not valid base64")]
    public void Malformed_connection_strings_say_which_field_is_wrong_without_echoing_secrets(string connectionString, string expected)
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_with_a_sas_reads_the_blob_the_sas_allows()
    {
        var container = await emulators.NewContainerAsync();
        var blob = container.GetBlobClient("via-sas.bin");
        await blob.UploadAsync(new MemoryStream([4, 5, 6]), 3);
        var sas = blob.GenerateReadSasUri(DateTimeOffset.UtcNow.AddMinutes(5)).Query.TrimStart('?');

        var account = BlobAccount.FromConnectionString($"BlobEndpoint={emulators.Local.BlobEndpoint};SharedAccessSignature={sas}");
        await using var read = await account.GetBlobClient(container.Name, "via-sas.bin").OpenReadAsync(0, 3);

        Assert.Equal([4, 5, 6], await TestData.ReadAllAsync(read));
    }
}
