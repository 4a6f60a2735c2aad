using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Vendors;

namespace FunctionsUploader.Tests.Vendors;

public sealed class VendorHttpTests
{
    private static readonly VendorRetryOptions Quick = new() { MaxRetries = 3, FirstDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_and_then_succeeds()
    {
        await using var server = new ScriptedHttpServer((_, n) => n == 1
            ? (429, "slow down", new Dictionary<string, string> { ["Retry-After"] = "1" })
            : (200, "ok", null));
        var http = new VendorHttp("Prepr", new HttpClient(), Quick);

        using var response = await http.SendAsync("start upload", () => new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "assets")), default);

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_server_error_that_persists_becomes_a_retryable_failure_after_a_few_attempts()
    {
        await using var server = new ScriptedHttpServer((_, _) => (503, "maintenance", null));
        var http = new VendorHttp("Panopto", new HttpClient(), Quick);

        var error = await Assert.ThrowsAsync<VendorApiException>(() =>
            http.SendAsync("create session", () => new HttpRequestMessage(HttpMethod.Post, server.BaseUri), default));

        Assert.True(error.Retryable);
        Assert.Equal(503, error.Status);
        Assert.Equal(4, server.Requests.Count);
        Assert.Contains("Panopto create session answered 503", error.Message, StringComparison.Ordinal);
        Assert.Contains("maintenance", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_validation_refusal_is_not_retried_and_its_long_body_is_truncated()
    {
        var longBody = "{\"error\":\"" + new string('x', 5000) + "\"}";
        await using var server = new ScriptedHttpServer((_, _) => (400, longBody, null));
        var http = new VendorHttp("MediaValet", new HttpClient(), Quick);

        var error = await Assert.ThrowsAsync<VendorApiException>(() =>
            http.SendAsync("finalize upload", () => new HttpRequestMessage(HttpMethod.Patch, server.BaseUri), default));

        Assert.False(error.Retryable);
        Assert.Single(server.Requests);
        Assert.True(error.VendorMessage!.Length <= VendorApiException.MaxVendorMessageLength + 1);
        Assert.True(error.Message.Length < 500, $"message of {error.Message.Length} characters");
    }

    [Fact]
    public async Task A_401_fetches_a_new_token_once_and_a_second_401_is_a_credentials_failure()
    {
        var issued = 0;
        var tokens = new AccessTokenCache((_, _) => Task.FromResult(new AccessToken($"token-{Interlocked.Increment(ref issued)}", DateTimeOffset.UtcNow.AddHours(1))));
        await using var server = new ScriptedHttpServer((request, _) => request.Headers["Authorization"] == "Bearer token-2" ? (200, "ok", null) : (401, "expired", null));
        var http = new VendorHttp("MediaValet", new HttpClient(), Quick);

        using var response = await http.SendAsync(
            "create upload", () => new HttpRequestMessage(HttpMethod.Post, server.BaseUri), default, tokens, (r, t) => r.Headers.Authorization = new("Bearer", t.Value));

        Assert.Equal(2, issued);
        Assert.Equal(["POST / Bearer token-1", "POST / Bearer token-2"], server.Requests);

        await using var refusing = new ScriptedHttpServer((_, _) => (401, "bad credentials", null));
        var error = await Assert.ThrowsAsync<VendorApiException>(() => http.SendAsync(
            "create upload", () => new HttpRequestMessage(HttpMethod.Post, refusing.BaseUri), default, tokens, (r, t) => r.Headers.Authorization = new("Bearer", t.Value)));
        Assert.False(error.Retryable);
        Assert.Equal(401, error.Status);
        Assert.Contains("check the credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token-", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, refusing.Requests.Count);
    }

    [Fact]
    public async Task A_json_error_body_is_read_down_to_the_vendors_own_words_and_any_other_body_is_kept_as_it_is()
    {
        await using var server = new ScriptedHttpServer((_, n) => n switch
        {
            1 => (400, "{\"error\":{\"message\":\"Part 2's ETag is wrong\"},\"status\":400}", null),
            2 => (400, "{\"status\":400}", null),
            _ => (400, "<html>bad request</html>", null),
        });
        var http = new VendorHttp("Picovico", new HttpClient(), Quick, errorMessage: e => e.GetProperty("error").GetProperty("message").GetString());

        var errors = new List<VendorApiException>();
        for (var i = 0; i < 3; i++)
        {
            errors.Add(await Assert.ThrowsAsync<VendorApiException>(() => http.SendAsync("finalize upload", () => new HttpRequestMessage(HttpMethod.Post, server.BaseUri), default)));
        }

        Assert.Equal(["Part 2's ETag is wrong", "{\"status\":400}", "<html>bad request</html>"], errors.Select(e => e.VendorMessage));
        Assert.Equal("Picovico finalize upload answered 400 BadRequest: Part 2's ETag is wrong", errors[0].Message);
    }

    [Fact]
    public async Task No_answer_at_all_is_a_retryable_failure_that_says_so()
    {
        var http = new VendorHttp("Picovico", new HttpClient(), Quick);
        var closedPort = new Uri("http://127.0.0.1:9/");

        var error = await Assert.ThrowsAsync<VendorApiException>(() => http.SendAsync("login", () => new HttpRequestMessage(HttpMethod.Post, closedPort), default));

        Assert.True(error.Retryable);
        Assert.Equal(0, error.Status);
        Assert.Contains("Picovico login got no answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_cache_fetches_once_for_many_parallel_callers_and_again_near_expiry()
    {
        var fetches = 0;
        var time = new ManualTime(DateTimeOffset.Parse("2026-11-21T10:00:00Z", CultureInfo.InvariantCulture));
        var cache = new AccessTokenCache(
            async (_, _) =>
            {
                Interlocked.Increment(ref fetches);
                await Task.Delay(20);
                return new AccessToken("t", time.GetUtcNow().AddMinutes(10));
            },
            time);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => cache.GetAsync(default)));
        Assert.Equal(1, fetches);

        time.Advance(TimeSpan.FromMinutes(9.5)); // inside the refresh skew
        await cache.GetAsync(default);
        Assert.Equal(2, fetches);
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
