using System.Collections.Concurrent;
using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Simulators.Inspection;

namespace FunctionsUploader.Simulators.Tenants;

/// <summary>The simulator's state for one tenant.</summary>
internal sealed class Tenant(string id, TenantCredentials credentials, TenantSettings settings, IEnumerable<FaultRule> faults)
{
    private readonly ConcurrentDictionary<SimulatedVendor, int> _tokenGenerations = new();

    public string Id { get; } = id;

    public TenantCredentials Credentials { get; } = credentials;

    public TenantSettings Settings { get; } = settings;

    public FaultBook Faults { get; } = new(faults);

    public RequestLog Requests { get; } = new();

    /// <summary>Tokens carry the generation they were issued in; expiring moves the generation on.</summary>
    public int TokenGeneration(SimulatedVendor vendor) => _tokenGenerations.GetValueOrDefault(vendor);

    public void ExpireTokens(SimulatedVendor vendor) => _tokenGenerations.AddOrUpdate(vendor, 1, (_, generation) => generation + 1);

    public SimulatorTenant ToPublic() => new(Id, Credentials, Settings);
}
