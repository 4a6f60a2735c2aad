using FunctionsUploader.Vendors;
using FunctionsUploader.Vendors.MediaValet;
using FunctionsUploader.Vendors.Picovico;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Tests.Vendors;

public sealed class VendorRegistrationTests
{
    private static readonly Dictionary<string, string?> MediaValet = new()
    {
        ["Uploader:Vendors:MediaValet:ClientId"] = "client",
        ["Uploader:Vendors:MediaValet:ClientSecret"] = "client-secret",
        ["Uploader:Vendors:MediaValet:Username"] = "user@example.com",
        ["Uploader:Vendors:MediaValet:Password"] = "password",
        ["Uploader:Vendors:MediaValet:SubscriptionKey"] = "subscription-key",
        ["Uploader:Vendors:MediaValet:BlockSize"] = "8388608",
    };

    private static readonly Dictionary<string, string?> Picovico = new()
    {
        ["Uploader:Vendors:Picovico:BaseUrl"] = "https://api.picovico.example/v2.1",
        ["Uploader:Vendors:Picovico:AppId"] = "app",
        ["Uploader:Vendors:Picovico:Username"] = "user@example.com",
        ["Uploader:Vendors:Picovico:Password"] = "password",
        ["Uploader:Vendors:Picovico:Retry:MaxRetries"] = "5",
    };

    [Fact]
    public void Each_configured_vendor_gets_its_connector_by_lower_case_name_with_its_settings_bound()
    {
        using var services = Build(MediaValet, Picovico);

        Assert.IsType<MediaValetConnector>(services.GetKeyedService<IVendorConnector>("mediavalet"));
        Assert.IsType<PicovicoConnector>(services.GetKeyedService<IVendorConnector>("picovico"));
        Assert.Equal("picovico", services.GetRequiredService<VendorConnectors>().Get("Picovico").Name);
        Assert.Equal(8 * 1024 * 1024, services.GetRequiredService<IOptions<MediaValetOptions>>().Value.BlockSize);
        Assert.Equal(5, services.GetRequiredService<IOptions<PicovicoOptions>>().Value.Retry.MaxRetries);
        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void A_vendor_without_a_section_has_no_connector()
    {
        using var services = Build(MediaValet);

        Assert.NotNull(services.GetKeyedService<IVendorConnector>("mediavalet"));
        Assert.Null(services.GetKeyedService<IVendorConnector>("picovico"));
    }

    [Fact]
    public void Missing_credentials_fail_validation_at_start_naming_the_setting()
    {
        using var services = Build(
            MediaValet.Where(s => !s.Key.EndsWith(":Password", StringComparison.Ordinal)),
            Picovico.Where(s => !s.Key.EndsWith(":BaseUrl", StringComparison.Ordinal)));

        var error = Assert.Throws<AggregateException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        var messages = string.Join(" ", error.InnerExceptions.Select(e => e.Message));
        Assert.Contains("Password", messages, StringComparison.Ordinal);
        Assert.Contains("BaseUrl", messages, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(params IEnumerable<KeyValuePair<string, string?>>[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.SelectMany(s => s)).Build();
        return new ServiceCollection().AddUploader(configuration).BuildServiceProvider();
    }
}
