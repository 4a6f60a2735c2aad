using FunctionsUploader.Simulators.Auth;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Panopto;

/// <summary>Panopto's OAuth2 server (Panopto/oauth2/connect/token) and its Bearer tokens on the REST API.</summary>
internal sealed class PanoptoAuth(TokenStore tokens, OAuthTokenEndpoint tokenEndpoint) : IVendorAuth
{
    public SimulatedVendor Vendor => SimulatedVendor.Panopto;

    public static OAuthClient ClientOf(TenantCredentials credentials) =>
        new(credentials.Panopto.ClientId, credentials.Panopto.ClientSecret, credentials.Panopto.Username, credentials.Panopto.Password);

    public async ValueTask<Tenant?> IdentifyAsync(HttpContext context, SimulatedOperation operation) =>
        operation.Authenticated
            ? tokens.Find(RequestCredentials.Bearer(context.Request), Vendor, TokenKind.Access)?.Tenant
            : await tokenEndpoint.IdentifyAsync(context, ClientOf);

    public string? Authenticate(HttpContext context, Tenant tenant) => tokens.BearerProblem(context.Request, tenant, Vendor);

    public IResult Error(SimulatedOperation operation, int status, string message) =>
        operation.Authenticated ? PanoptoJson.Error(status, message) : OAuthTokenEndpoint.Error(status, status == 401 ? "invalid_client" : "temporarily_unavailable", message);
}
