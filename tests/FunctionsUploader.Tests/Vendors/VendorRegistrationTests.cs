using FunctionsUploader.Vendors;
using FunctionsUploader.Vendors.Panopto;
using FunctionsUploader.Vendors.Prepr;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Tests.Vendors;

public sealed class VendorRegistrationTests
{
    private static readonly Dictionary<string, string?> Prepr = new()
    {
        ["Uploader:Vendors:Prepr:BaseUrl"] = "https://api.eu1.prepr.io/",
        ["Uploader:Vendors:Prepr:AccessToken"] = "prepr-token-0b9e",
        ["Uploader:Vendors:Prepr:ChunkSize"] = "1048576",
    };

    private static readonly Dictionary<string, string?> Panopto = new()
    {
        ["Uploader:Vendors:Panopto:ServerUrl"] = "https://demo.hosted.panopto.com/",
        ["Uploader:Vendors:Panopto:ClientId"] = "client",
        ["Uploader:Vendors:Panopto:ClientSecret"] = "panopto-secret-77c1",
        ["Uploader:Vendors:Panopto:Username"] = "uploader",
        ["Uploader:Vendors:Panopto:Password"] = "panopto-password-2d4a",
        ["Uploader:Vendors:Panopto:FolderId"] = "0e7c3c2a-1f4b-4a44-9b84-5d1f0f1e2a3b",
        ["Uploader:Vendors:Panopto:UploadPayloadSigning"] = "Signed",
        ["Uploader:Vendors:Panopto:PartSize"] = "5242880",
    };

    [Fact]
    public void Each_configured_vendor_gets_its_connector_by_lower_case_name_and_others_none()
    {
        using var services = Build(Prepr.Concat(Panopto));

        var connectors = services.GetRequiredService<VendorConnectors>();

        Assert.Equal(["panopto", "prepr"], connectors.Names);
        Assert.IsType<PreprConnector>(connectors.Get("Prepr"));
        Assert.IsType<PanoptoConnector>(connectors.Get("panopto"));
        var panopto = services.GetRequiredService<IOptions<PanoptoOptions>>().Value;
        Assert.Equal(Guid.Parse("0e7c3c2a-1f4b-4a44-9b84-5d1f0f1e2a3b"), panopto.FolderId);
        Assert.Equal(FunctionsUploader.Transfer.S3PayloadSigning.Signed, panopto.UploadPayloadSigning);
        Assert.Equal(1048576, services.GetRequiredService<IOptions<PreprOptions>>().Value.ChunkSize);
        Assert.Null(services.GetKeyedService<IVendorConnector>("mediavalet"));
    }

    [Fact]
    public void Missing_credentials_or_a_part_size_panopto_refuses_fail_validation_naming_the_setting()
    {
        var incomplete = Panopto.Where(p => !p.Key.EndsWith("ClientSecret", StringComparison.Ordinal))
            .Append(KeyValuePair.Create<string, string?>("Uploader:Vendors:Panopto:PartSize", "30000000"));
        using var services = Build(incomplete.GroupBy(p => p.Key).Select(g => g.Last()));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PanoptoOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("ClientSecret", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("PartSize", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_never_print_their_secrets()
    {
        using var services = Build(Prepr.Concat(Panopto));

        var printed = $"{services.GetRequiredService<IOptions<PreprOptions>>().Value} {services.GetRequiredService<IOptions<PanoptoOptions>>().Value} " +
            $"{services.GetRequiredService<VendorConnectors>().Get("prepr")} {services.GetRequiredService<VendorConnectors>().Get("panopto")}";

        Assert.Contains("demo.hosted.panopto.com", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("prepr-token-0b9e", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("panopto-secret-77c1", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("panopto-password-2d4a", printed, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(IEnumerable<KeyValuePair<string, string?>> settings) =>
        new ServiceCollection().AddUploader(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
}
