using FunctionsUploader.Simulators.Auth;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Prepr;

/// <summary>Prepr's static access token: "Authorization: Bearer &lt;token&gt;" or ?access_token=. It never expires.</summary>
internal sealed class PreprAuth(TenantRegistry tenants) : IVendorAuth
{
    public SimulatedVendor Vendor => SimulatedVendor.Prepr;

    public ValueTask<Tenant?> IdentifyAsync(HttpContext context, SimulatedOperation operation)
    {
        var token = RequestCredentials.Bearer(context.Request) ?? context.Request.Query["access_token"].ToString();
        return ValueTask.FromResult(string.IsNullOrEmpty(token) ? null : tenants.Find(c => c.Prepr.AccessToken == token));
    }

    public string? Authenticate(HttpContext context, Tenant tenant) => null;

    public IResult Error(SimulatedOperation operation, int status, string message) => PreprJson.Error(status, message);
}
