using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Simulators.Tenants;

/// <summary>Every tenant of this simulator, starting with "default", whose credentials come from the options.</summary>
internal sealed class TenantRegistry
{
    public const string DefaultTenantId = "default";

    private readonly ConcurrentDictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);
    private readonly SimulatorOptions _options;

    public TenantRegistry(IOptions<SimulatorOptions> options)
    {
        _options = options.Value;
        Default = new Tenant(DefaultTenantId, WithUploadKeys(_options.DefaultCredentials), _options.Defaults.Copy(), _options.Faults);
        _tenants[DefaultTenantId] = Default;
    }

    public Tenant Default { get; }

    /// <summary>The settings a new tenant starts from.</summary>
    public TenantSettings Defaults => _options.Defaults;

    public Tenant Create(TenantSettings? settings = null)
    {
        var id = "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var tenant = new Tenant(id, WithUploadKeys(TenantCredentials.Generate(id)), (settings ?? _options.Defaults).Copy(), _options.Faults);
        _tenants[id] = tenant;
        return tenant;
    }

    public Tenant? Get(string id) => _tenants.GetValueOrDefault(id);

    private TenantCredentials WithUploadKeys(TenantCredentials credentials)
    {
        credentials.Panopto.UploadAccessKey = _options.S3AccessKey;
        credentials.Panopto.UploadSecretKey = _options.S3SecretKey;
        return credentials;
    }

    /// <summary>The tenant whose credentials satisfy <paramref name="match"/> (a handful of tenants: a scan is enough).</summary>
    public Tenant? Find(Func<TenantCredentials, bool> match) => _tenants.Values.FirstOrDefault(t => match(t.Credentials));
}
