using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Vendors.MediaValet;
using FunctionsUploader.Vendors.Panopto;
using FunctionsUploader.Vendors.Picovico;
using FunctionsUploader.Vendors.Prepr;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Tests.Vendors;

/// <summary>UploaderServices.AddVendors for all four vendors: one registration path, checked at start.</summary>
public sealed class VendorRegistrationTests
{
    private static readonly Dictionary<string, string?> MediaValet = new()
    {
        ["Uploader:Vendors:MediaValet:ClientId"] = "client",
        ["Uploader:Vendors:MediaValet:ClientSecret"] = "mediavalet-secret-4f0a",
        ["Uploader:Vendors:MediaValet:Username"] = "user@example.com",
        ["Uploader:Vendors:MediaValet:Password"] = "mediavalet-password-8c2e",
        ["Uploader:Vendors:MediaValet:SubscriptionKey"] = "mediavalet-key-19d7",
        ["Uploader:Vendors:MediaValet:BlockSize"] = "8388608",
    };

    private static readonly Dictionary<string, string?> Picovico = new()
    {
        ["Uploader:Vendors:Picovico:BaseUrl"] = "https://api.picovico.example/v2.1",
        ["Uploader:Vendors:Picovico:AppId"] = "app",
        ["Uploader:Vendors:Picovico:Username"] = "user@example.com",
        ["Uploader:Vendors:Picovico:Password"] = "picovico-password-6b31",
        ["Uploader:Vendors:Picovico:Retry:MaxRetries"] = "5",
    };

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

    private static readonly string[] Secrets =
    [
        "mediavalet-secret-4f0a", "mediavalet-password-8c2e", "mediavalet-key-19d7", "picovico-password-6b31",
        "prepr-token-0b9e", "panopto-secret-77c1", "panopto-password-2d4a",
    ];

    [Fact]
    public void Each_configured_vendor_gets_its_connector_by_lower_case_name_with_its_settings_bound()
    {
        using var services = Build(MediaValet, Picovico, Prepr, Panopto);

        var connectors = services.GetRequiredService<VendorConnectors>();
        Assert.Equal(["mediavalet", "panopto", "picovico", "prepr"], connectors.Names);
        Assert.IsType<MediaValetConnector>(services.GetKeyedService<IVendorConnector>("mediavalet"));
        Assert.IsType<PicovicoConnector>(services.GetKeyedService<IVendorConnector>("picovico"));
        Assert.IsType<PreprConnector>(connectors.Get("Prepr"));
        Assert.IsType<PanoptoConnector>(connectors.Get("panopto"));
        Assert.Equal("picovico", connectors.Get("Picovico").Name);
        Assert.Equal(8 * 1024 * 1024, services.GetRequiredService<IOptions<MediaValetOptions>>().Value.BlockSize);
        Assert.Equal(5, services.GetRequiredService<IOptions<PicovicoOptions>>().Value.Retry.MaxRetries);
        Assert.Equal(1048576, services.GetRequiredService<IOptions<PreprOptions>>().Value.ChunkSize);
        var panopto = services.GetRequiredService<IOptions<PanoptoOptions>>().Value;
        Assert.Equal(Guid.Parse("0e7c3c2a-1f4b-4a44-9b84-5d1f0f1e2a3b"), panopto.FolderId);
        Assert.Equal(S3PayloadSigning.Signed, panopto.UploadPayloadSigning);
        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void A_vendor_without_a_section_has_no_connector()
    {
        using var services = Build(MediaValet, Prepr);

        Assert.NotNull(services.GetKeyedService<IVendorConnector>("mediavalet"));
        Assert.NotNull(services.GetKeyedService<IVendorConnector>("prepr"));
        Assert.Null(services.GetKeyedService<IVendorConnector>("picovico"));
        Assert.Null(services.GetKeyedService<IVendorConnector>("panopto"));
    }

    [Fact]
    public void Missing_credentials_or_a_part_size_panopto_refuses_fail_validation_at_start_naming_the_setting()
    {
        using var services = Build(
            MediaValet.Where(s => !s.Key.EndsWith(":Password", StringComparison.Ordinal)),
            Picovico.Where(s => !s.Key.EndsWith(":BaseUrl", StringComparison.Ordinal)),
            Prepr.Where(s => !s.Key.EndsWith(":AccessToken", StringComparison.Ordinal)),
            Panopto.Where(s => !s.Key.EndsWith(":ClientSecret", StringComparison.Ordinal) && !s.Key.EndsWith(":PartSize", StringComparison.Ordinal)),
            [KeyValuePair.Create<string, string?>("Uploader:Vendors:Panopto:PartSize", "30000000")]);

        var error = Assert.Throws<AggregateException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        var failures = error.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
        Assert.Contains(failures, f => f.Contains("MediaValetOptions", StringComparison.Ordinal) && f.Contains("Password", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("PicovicoOptions", StringComparison.Ordinal) && f.Contains("BaseUrl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("PreprOptions", StringComparison.Ordinal) && f.Contains("AccessToken", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("PanoptoOptions", StringComparison.Ordinal) && f.Contains("ClientSecret", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("PanoptoOptions", StringComparison.Ordinal) && f.Contains("PartSize", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_and_connectors_never_print_their_secrets()
    {
        using var services = Build(MediaValet, Picovico, Prepr, Panopto);
        var connectors = services.GetRequiredService<VendorConnectors>();

        var printed = string.Join(
            " ",
            services.GetRequiredService<IOptions<MediaValetOptions>>().Value,
            services.GetRequiredService<IOptions<PicovicoOptions>>().Value,
            services.GetRequiredService<IOptions<PreprOptions>>().Value,
            services.GetRequiredService<IOptions<PanoptoOptions>>().Value,
            string.Join(" ", connectors.Names.Select(connectors.Get)));

        Assert.Contains("demo.hosted.panopto.com", printed, StringComparison.Ordinal);
        Assert.Contains("api.picovico.example", printed, StringComparison.Ordinal);
        Assert.All(Secrets, secret => Assert.DoesNotContain(secret, printed, StringComparison.Ordinal));
    }

    private static ServiceProvider Build(params IEnumerable<KeyValuePair<string, string?>>[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.SelectMany(s => s)).Build();
        return new ServiceCollection().AddUploader(configuration).BuildServiceProvider();
    }
}
