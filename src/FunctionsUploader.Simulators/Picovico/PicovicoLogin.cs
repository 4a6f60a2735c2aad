using System.Security.Cryptography;
using FunctionsUploader.Simulators.Auth;
using FunctionsUploader.Simulators.Inspection;

namespace FunctionsUploader.Simulators.Picovico;

/// <summary>POST /login and /login/app (form-encoded [Assumed]): both answer {access_key, access_token, id}, wrapped in data under v2.7.</summary>
internal sealed class PicovicoLogin(TokenStore tokens)
{
    public async Task<IResult> LogInAsync(HttpContext context, bool asApp)
    {
        var tenant = SimulatedRequest.Of(context).Tenant!;
        var credentials = tenant.Credentials.Picovico;
        var form = await RequestCredentials.FormAsync(context.Request);
        var appId = await PicovicoAuth.AppIdOfAsync(context.Request);
        if (appId.Length == 0)
        {
            return PicovicoJson.Error(400, "app_id (or the X-PV-Meta-App header) is required.");
        }

        var valid = appId == credentials.AppId && (asApp
            ? form["app_secret"] == credentials.AppSecret
            : form["username"] == credentials.Username && form["password"] == credentials.Password);
        if (!valid)
        {
            return PicovicoJson.Error(401, asApp ? "The app id or app secret is wrong." : "The username, password or app id is wrong.");
        }

        var token = tokens.IssueAccess(tenant, SimulatedVendor.Picovico, key: Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
        return PicovicoJson.One(tenant, new LoginResponse(token.Key!, token.Value, $"user-{tenant.Id}"));
    }
}
