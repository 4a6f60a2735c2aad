using FunctionsUploader.Simulators.Auth;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Panopto;

/// <summary>Panopto's OAuth2 server (Panopto/oauth2/connect/token) and its Bearer tokens on the REST API.</summary>
internal sealed class PanoptoAuth(TokenStore tokens, OAuthTokenEndpoint tokenEndpoint, PanoptoSessionUploads uploads) : IVendorAuth
{
    public SimulatedVendor Vendor => SimulatedVendor.Panopto;

    public static OAuthClient ClientOf(TenantCredentials credentials) =>
        new(credentials.Panopto.ClientId, credentials.Panopto.ClientSecret, credentials.Panopto.Username, credentials.Panopto.Password);

    /// <summary>Bearer tokens on the REST API; the upload target takes any key pair, so its requests belong to the session upload they name.</summary>
    public async ValueTask<Tenant?> IdentifyAsync(HttpContext context, SimulatedOperation operation) =>
        operation.Authenticated ? tokens.Find(RequestCredentials.Bearer(context.Request), Vendor, TokenKind.Access)?.Tenant
        : PanoptoUploadTargets.IsUploadTargetOperation(operation) ? uploads.TenantOf(context.Request.RouteValues["id"] as string ?? string.Empty)
        : await tokenEndpoint.IdentifyAsync(context, ClientOf);

    public string? Authenticate(HttpContext context, Tenant tenant) => tokens.BearerProblem(context.Request, tenant, Vendor);

    public IResult Error(SimulatedOperation operation, int status, string message) =>
        operation.Authenticated ? PanoptoJson.Error(status, message)
        : PanoptoUploadTargets.IsUploadTargetOperation(operation) ? Storage.S3Forwarder.Error(status, status == 401 ? "AccessDenied" : "SimulatedFault", message)
        : OAuthTokenEndpoint.Error(status, status == 401 ? "invalid_client" : "temporarily_unavailable", message);
}
