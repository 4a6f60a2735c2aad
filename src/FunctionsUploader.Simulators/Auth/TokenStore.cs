using System.Collections.Concurrent;
using System.Security.Cryptography;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Auth;

internal enum TokenKind
{
    Access,
    Refresh,
}

/// <summary>A token the simulator issued. ToString never prints its value.</summary>
internal sealed record IssuedToken(
    string Value,
    Tenant Tenant,
    SimulatedVendor Vendor,
    TokenKind Kind,
    DateTimeOffset ExpiresAt,
    int Generation,
    string Scope,
    string? Key)
{
    public override string ToString() => $"{Vendor} {Kind} token of {Tenant.Id}";
}

/// <summary>Opaque random tokens for every vendor that issues them, with their tenant, lifetime and scope.</summary>
internal sealed class TokenStore(TimeProvider time)
{
    // Refresh lifetimes are not published by MediaValet or Panopto; long enough never to matter in a test.
    private static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(14);

    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);

    public IssuedToken IssueAccess(Tenant tenant, SimulatedVendor vendor, string scope = "", string? key = null) =>
        Issue(tenant, vendor, TokenKind.Access, tenant.Settings.TokenLifetime, scope, key);

    public IssuedToken IssueRefresh(Tenant tenant, SimulatedVendor vendor, string scope) =>
        Issue(tenant, vendor, TokenKind.Refresh, RefreshTokenLifetime, scope, key: null);

    /// <summary>The token with this value, of this vendor and kind, valid or not.</summary>
    public IssuedToken? Find(string? value, SimulatedVendor vendor, TokenKind kind) =>
        value is not null && _tokens.TryGetValue(value, out var token) && token.Vendor == vendor && token.Kind == kind ? token : null;

    /// <summary>Null when the request's "Authorization: Bearer" token is the tenant's and usable now; otherwise why not.</summary>
    public string? BearerProblem(HttpRequest request, Tenant tenant, SimulatedVendor vendor) =>
        Find(RequestCredentials.Bearer(request), vendor, TokenKind.Access) is { } token && token.Tenant == tenant
            ? Problem(token)
            : "The Bearer token is missing or not valid.";

    /// <summary>Null when the token is usable now; otherwise why not.</summary>
    public string? Problem(IssuedToken token) =>
        time.GetUtcNow() >= token.ExpiresAt || (token.Kind == TokenKind.Access && token.Generation != token.Tenant.TokenGeneration(token.Vendor))
            ? $"The {(token.Kind == TokenKind.Access ? "access" : "refresh")} token has expired."
            : null;

    private IssuedToken Issue(Tenant tenant, SimulatedVendor vendor, TokenKind kind, TimeSpan lifetime, string scope, string? key)
    {
        var token = new IssuedToken(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
            tenant,
            vendor,
            kind,
            time.GetUtcNow() + lifetime,
            tenant.TokenGeneration(vendor),
            scope,
            key);
        _tokens[token.Value] = token;
        return token;
    }
}
