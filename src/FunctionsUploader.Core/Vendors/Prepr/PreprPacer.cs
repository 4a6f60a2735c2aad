namespace FunctionsUploader.Vendors.Prepr;

/// <summary>
/// Keeps one connector's requests (API calls and chunks alike) inside Prepr's limits: at most
/// <see cref="PreprOptions.RequestsPerSecond"/> a second (35 by default), and none once X-Prepr-RateLimit-Remaining
/// reaches 0 or a 429 arrives until <see cref="PreprOptions.RateLimitWindow"/> has passed. Prepr sends no Retry-After
/// and publishes no reset header, so a whole window is the wait that is safe for a fixed and a sliding window alike.
/// </summary>
internal sealed class PreprPacer(PreprOptions options, TimeProvider time)
{
    public const string RemainingHeader = "X-Prepr-RateLimit-Remaining";

    private readonly Lock _gate = new();
    private readonly TimeSpan _spacing = TimeSpan.FromSeconds(1.0 / Math.Max(1, options.RequestsPerSecond));
    private DateTimeOffset _nextStart = DateTimeOffset.MinValue;

    /// <summary>A client whose every request waits its turn and reports the limits it was answered with; the inner client bounds each call.</summary>
    public HttpClient Wrap(HttpClient inner) => new(new Handler(this, inner)) { Timeout = Timeout.InfiniteTimeSpan };

    private async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var start = _nextStart > now ? _nextStart : now;
            _nextStart = start + _spacing;
            wait = start - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private void Observe(HttpResponseMessage response)
    {
        var spent = (int)response.StatusCode == 429
            || (response.Headers.TryGetValues(RemainingHeader, out var values)
                && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining)
                && remaining <= 0);
        if (!spent)
        {
            return;
        }

        lock (_gate)
        {
            var resume = time.GetUtcNow() + options.RateLimitWindow;
            if (resume > _nextStart)
            {
                _nextStart = resume;
            }
        }
    }

    private sealed class Handler(PreprPacer pacer, HttpClient inner) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await pacer.WaitTurnAsync(cancellationToken);
            // The outer client has marked this message sent; the inner one takes a copy carrying the same, unread content.
            using var forwarded = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content, Version = request.Version, VersionPolicy = request.VersionPolicy };
            foreach (var header in request.Headers)
            {
                forwarded.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            var response = await inner.SendAsync(forwarded, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            pacer.Observe(response);
            return response;
        }
    }
}
