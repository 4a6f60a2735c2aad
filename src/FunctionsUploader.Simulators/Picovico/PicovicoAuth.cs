using FunctionsUploader.Simulators.Auth;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Picovico;

/// <summary>
/// Picovico's custom login: /login (username, password) or /login/app (app secret), the app id as X-PV-Meta-App or
/// app_id; then X-Access-Key + X-Access-Token + X-PV-Meta-App on every /me call. Tokens expire after the tenant's
/// token lifetime [Assumed: Picovico documents no expiry; the client logs in again on 401].
/// </summary>
internal sealed class PicovicoAuth(TokenStore tokens, TenantRegistry tenants) : IVendorAuth
{
    public const string AppHeader = "X-PV-Meta-App";
    public const string KeyHeader = "X-Access-Key";
    public const string TokenHeader = "X-Access-Token";

    public SimulatedVendor Vendor => SimulatedVendor.Picovico;

    public static async Task<string> AppIdOfAsync(HttpRequest request) =>
        request.Headers[AppHeader].ToString() is { Length: > 0 } header ? header : (await RequestCredentials.FormAsync(request))["app_id"].ToString();

    public async ValueTask<Tenant?> IdentifyAsync(HttpContext context, SimulatedOperation operation)
    {
        if (operation.Authenticated)
        {
            return tokens.Find(context.Request.Headers[TokenHeader].ToString(), Vendor, TokenKind.Access)?.Tenant;
        }

        if (operation.Name == PicovicoPartUrls.UploadPartOperation)
        {
            // A part URL carries its signature, not the account's headers: the object key names the tenant.
            return PicovicoPartUrls.TenantIdOf(context) is { } id ? tenants.Get(id) : null;
        }

        var form = await RequestCredentials.FormAsync(context.Request);
        var username = form["username"].ToString();
        var appId = await AppIdOfAsync(context.Request);
        return operation.Name == PicovicoApi.LoginOperation
            ? tenants.Find(c => username.Length > 0 && c.Picovico.Username == username)
            : tenants.Find(c => appId.Length > 0 && c.Picovico.AppId == appId);
    }

    public string? Authenticate(HttpContext context, Tenant tenant)
    {
        var headers = context.Request.Headers;
        if (headers[AppHeader].ToString() != tenant.Credentials.Picovico.AppId)
        {
            return $"{AppHeader} must carry your app id.";
        }

        var token = tokens.Find(headers[TokenHeader].ToString(), Vendor, TokenKind.Access);
        return token is null || token.Tenant != tenant || headers[KeyHeader].ToString() != token.Key
            ? $"{KeyHeader} and {TokenHeader} must be the pair the login returned."
            : tokens.Problem(token);
    }

    public IResult Error(SimulatedOperation operation, int status, string message) =>
        operation.Name == PicovicoPartUrls.UploadPartOperation ? Storage.S3Forwarder.Error(status, status is 401 or 403 ? "AccessDenied" : "SimulatedFault", message) : PicovicoJson.Error(status, message);
}
