using System.Collections.Concurrent;
using System.Text;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Vendors;
using Microsoft.AspNetCore.WebUtilities;

namespace FunctionsUploader.Tests.Vendors;

public sealed class OAuth2PasswordTokensTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-21T10:00:00Z", CultureInfo.InvariantCulture);

    private readonly HttpClient _http = new();
    private readonly ConcurrentQueue<Dictionary<string, string>> _forms = new();

    [Fact]
    public async Task A_refused_refresh_token_falls_back_to_the_password_grant()
    {
        await using var server = TokenServer(refreshRefused: true, issueRefreshTokens: true);
        var tokens = Tokens(server, basic: true);

        var first = await tokens.FetchAsync(null, default);
        var second = await tokens.FetchAsync(first, default);

        Assert.Equal(new AccessToken("access-1", Now.AddSeconds(600), "refresh-1"), first);
        Assert.Equal(new AccessToken("access-3", Now.AddSeconds(600), "refresh-3"), second);
        Assert.Equal(["password", "refresh_token", "password"], _forms.Select(f => f["grant_type"]));
        Assert.Equal(["refresh-1"], _forms.Where(f => f.ContainsKey("refresh_token")).Select(f => f["refresh_token"]));
        Assert.Equal(("u@example", "p w&x", "openid api offline_access"), (_forms.First()["username"], _forms.First()["password"], _forms.First()["scope"]));
        // RFC 6749 2.3.1: "id:s&cret" with each half form-url-encoded, then base64.
        Assert.All(server.Requests, r => Assert.Equal("POST /connect/token Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("id:s%26cret")), r));
        Assert.All(_forms, f => Assert.False(f.ContainsKey("client_secret")));
    }

    [Fact]
    public async Task Form_client_authentication_sends_the_secret_in_the_form_and_keeps_a_refresh_token_the_server_does_not_renew()
    {
        await using var server = TokenServer(refreshRefused: false, issueRefreshTokens: false);
        var tokens = Tokens(server, basic: false);

        var renewed = await tokens.FetchAsync(new AccessToken("old", Now, "kept-refresh"), default);

        Assert.Equal(new AccessToken("access-1", Now.AddSeconds(600), "kept-refresh"), renewed);
        Assert.Equal(("refresh_token", "id", "s&cret"), (_forms.Single()["grant_type"], _forms.Single()["client_id"], _forms.Single()["client_secret"]));
        Assert.Equal("POST /connect/token ", Assert.Single(server.Requests));
    }

    [Fact]
    public async Task A_refused_password_grant_is_not_retried_and_quotes_the_rfc_6749_error_without_the_credentials()
    {
        await using var server = new ScriptedHttpServer((_, _) => (400, """{"error":"invalid_grant","error_description":"The username or password is wrong."}""", null));
        var tokens = Tokens(server, basic: true);

        var refused = await Assert.ThrowsAsync<VendorApiException>(() => tokens.FetchAsync(null, default));

        Assert.False(refused.Retryable);
        Assert.Equal("invalid_grant: The username or password is wrong.", refused.VendorMessage);
        Assert.StartsWith("Panopto token request (password grant) answered 400", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("p w&x", refused.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s&cret", refused.ToString(), StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    public void Dispose() => _http.Dispose();

    private OAuth2PasswordTokens Tokens(ScriptedHttpServer server, bool basic) => new(
        new VendorHttp("Panopto", _http, new VendorRetryOptions { FirstDelay = TimeSpan.FromMilliseconds(10) }, errorMessage: OAuth2PasswordTokens.ErrorMessage),
        new OAuth2PasswordClient
        {
            TokenUrl = new Uri(server.BaseUri, "connect/token"),
            ClientId = "id",
            ClientSecret = "s&cret",
            Username = "u@example",
            Password = "p w&x",
            Scope = "openid api offline_access",
            BasicClientAuthentication = basic,
        },
        new FixedTime(Now));

    /// <summary>An RFC 6749 token endpoint that records each form; the n-th answer issues access-n.</summary>
    private ScriptedHttpServer TokenServer(bool refreshRefused, bool issueRefreshTokens) => new((request, n) =>
    {
        using var reader = new StreamReader(request.InputStream);
        var form = QueryHelpers.ParseQuery(reader.ReadToEnd()).ToDictionary(p => p.Key, p => p.Value.ToString());
        _forms.Enqueue(form);
        return refreshRefused && form["grant_type"] == "refresh_token"
            ? (400, """{"error":"invalid_grant","error_description":"The refresh token has expired."}""", null)
            : (200, $$"""{"access_token":"access-{{n}}","token_type":"Bearer","expires_in":600{{(issueRefreshTokens ? $",\"refresh_token\":\"refresh-{n}\"" : "")}}}""", null);
    });

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
