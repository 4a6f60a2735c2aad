using FunctionsUploader.Simulators.Inspection;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Auth;

/// <summary>One OAuth2 client of a vendor's token endpoint: the client's id and secret and the user it logs in as.</summary>
internal sealed record OAuthClient(string ClientId, string ClientSecret, string Username, string Password);

/// <summary>
/// The IdentityServer-style token endpoint MediaValet and Panopto both run: the password grant (client id, username,
/// password, scope "openid api" [+ offline_access for a refresh token]) and the refresh_token grant, the client
/// authenticated by a Basic header or by client_id + client_secret in the form. Errors follow RFC 6749.
/// </summary>
internal sealed class OAuthTokenEndpoint(TokenStore tokens, TenantRegistry tenants)
{
    /// <summary>The tenant whose <paramref name="clientOf"/> client id the request names (Basic header or client_id field).</summary>
    public async ValueTask<Tenant?> IdentifyAsync(HttpContext context, Func<TenantCredentials, OAuthClient> clientOf)
    {
        var clientId = RequestCredentials.Basic(context.Request)?.Id ?? (await RequestCredentials.FormAsync(context.Request))["client_id"].ToString();
        return string.IsNullOrEmpty(clientId) ? null : tenants.Find(c => clientOf(c).ClientId == clientId);
    }

    public async Task<IResult> IssueAsync(HttpContext context, SimulatedVendor vendor, Func<TenantCredentials, OAuthClient> clientOf)
    {
        var tenant = SimulatedRequest.Of(context).Tenant!;
        var client = clientOf(tenant.Credentials);
        if (!context.Request.HasFormContentType)
        {
            return Error(400, "invalid_request", "The token request must be application/x-www-form-urlencoded.");
        }

        var form = await RequestCredentials.FormAsync(context.Request);
        var (id, secret) = RequestCredentials.Basic(context.Request) ?? (form["client_id"].ToString(), form["client_secret"].ToString());
        if (id != client.ClientId || secret != client.ClientSecret)
        {
            return Error(401, "invalid_client", "The client id or secret is wrong.");
        }

        string scope;
        IssuedToken? refresh = null;
        switch (form["grant_type"].ToString())
        {
            case "password":
                if (form["username"] != client.Username || form["password"] != client.Password)
                {
                    return Error(400, "invalid_grant", "The username or password is wrong.");
                }

                scope = form["scope"].ToString();
                var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (!scopes.Contains("api", StringComparer.Ordinal))
                {
                    return Error(400, "invalid_scope", "The scope must include 'api' (the samples send 'openid api').");
                }

                if (scopes.Contains("offline_access", StringComparer.Ordinal) && tenant.Settings.RefuseOfflineAccess)
                {
                    return Error(400, "invalid_scope", "offline_access is not granted to this client.");
                }

                if (scopes.Contains("offline_access", StringComparer.Ordinal))
                {
                    refresh = tokens.IssueRefresh(tenant, vendor, scope);
                }

                break;
            case "refresh_token":
                refresh = tokens.Find(form["refresh_token"].ToString(), vendor, TokenKind.Refresh);
                if (refresh is null || refresh.Tenant != tenant || tokens.Problem(refresh) is not null)
                {
                    return Error(400, "invalid_grant", "The refresh token is unknown or has expired.");
                }

                scope = refresh.Scope;
                break;
            default:
                return Error(400, "unsupported_grant_type", "grant_type must be 'password' or 'refresh_token'.");
        }

        var access = tokens.IssueAccess(tenant, vendor, scope);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new TokenResponse(
            access.Value,
            "Bearer",
            (int)Math.Ceiling(tenant.Settings.TokenLifetime.TotalSeconds),
            refresh?.Value,
            scope), TokenJson.Options);
    }

    /// <summary>Maps a vendor's token endpoint: the "token" operation, reached without a token.</summary>
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder routes, string pattern, SimulatedVendor vendor, Func<TenantCredentials, OAuthClient> clientOf) =>
        routes.MapPost(pattern, (HttpContext context, OAuthTokenEndpoint tokens) => tokens.IssueAsync(context, vendor, clientOf))
            .Simulates(vendor, "token", authenticated: false);

    public static IResult Error(int status, string error, string description) =>
        Results.Json(new TokenError(error, description), TokenJson.Options, statusCode: status);

    private sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string? RefreshToken, string Scope);

    private sealed record TokenError(string Error, string ErrorDescription);

    private static class TokenJson
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };
    }
}
