using FunctionsUploader.Simulators.Auth;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.MediaValet;

/// <summary>
/// MediaValet's two gates: the login service's token endpoint, and APIM in front of the API, which wants
/// Ocp-Apim-Subscription-Key and a Bearer token on every call.
/// </summary>
internal sealed class MediaValetAuth(TokenStore tokens, TenantRegistry tenants, OAuthTokenEndpoint tokenEndpoint) : IVendorAuth
{
    public const string SubscriptionKeyHeader = "Ocp-Apim-Subscription-Key";

    public SimulatedVendor Vendor => SimulatedVendor.MediaValet;

    public static OAuthClient ClientOf(TenantCredentials credentials) =>
        new(credentials.MediaValet.ClientId, credentials.MediaValet.ClientSecret, credentials.MediaValet.Username, credentials.MediaValet.Password);

    public async ValueTask<Tenant?> IdentifyAsync(HttpContext context, SimulatedOperation operation)
    {
        if (!operation.Authenticated)
        {
            return await tokenEndpoint.IdentifyAsync(context, ClientOf);
        }

        var key = context.Request.Headers[SubscriptionKeyHeader].ToString();
        return tokens.Find(RequestCredentials.Bearer(context.Request), Vendor, TokenKind.Access)?.Tenant
            ?? (key.Length > 0 ? tenants.Find(c => c.MediaValet.SubscriptionKey == key) : null);
    }

    public string? Authenticate(HttpContext context, Tenant tenant)
    {
        // APIM answers before the API does: the subscription key is checked first, with APIM's own wording.
        var key = context.Request.Headers[SubscriptionKeyHeader].ToString();
        if (key.Length == 0)
        {
            return "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.";
        }

        if (key != tenant.Credentials.MediaValet.SubscriptionKey)
        {
            return "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.";
        }

        return tokens.BearerProblem(context.Request, tenant, Vendor);
    }

    public IResult Error(SimulatedOperation operation, int status, string message) =>
        operation.Authenticated ? MediaValetJson.Error(status, message) : OAuthTokenEndpoint.Error(status, status == 401 ? "invalid_client" : "temporarily_unavailable", message);
}
