namespace FunctionsUploader.Simulators.Tenants;

/// <summary>
/// A tenant: its own credentials for every vendor, its settings, and its own assets, fault rules and request log.
/// Tests create one each, so they run in parallel against one simulator without seeing each other.
/// </summary>
public sealed record SimulatorTenant(string Id, TenantCredentials Credentials, TenantSettings Settings);
