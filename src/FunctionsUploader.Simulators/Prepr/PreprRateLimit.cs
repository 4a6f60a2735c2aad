using System.Collections.Concurrent;
using FunctionsUploader.Simulators.Inspection;

namespace FunctionsUploader.Simulators.Prepr;

/// <summary>
/// Prepr's request ceilings, per tenant: 35 a second and 800 a minute by default (docs.prepr.io, statuses and errors).
/// Every answer carries X-Prepr-RateLimit-Limit (the per-minute ceiling) and X-Prepr-RateLimit-Remaining; a request
/// past either ceiling gets 429 without Retry-After, as Prepr documents none. [Assumed] fixed windows; the minute's
/// length is a tenant setting so tests need not wait one out.
/// </summary>
internal sealed class PreprRateLimit(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Windows> _windows = new(StringComparer.Ordinal);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var tenant = SimulatedRequest.Of(http).Tenant!;
        var settings = tenant.Settings;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var minute = now / Math.Max(1, (long)settings.PreprRateLimitWindow.TotalMilliseconds);
        var second = now / 1000;
        var windows = _windows.AddOrUpdate(
            tenant.Id,
            _ => new Windows(minute, 1, second, 1),
            (_, w) => new Windows(minute, w.Minute == minute ? w.InMinute + 1 : 1, second, w.Second == second ? w.InSecond + 1 : 1));
        var limit = settings.PreprRateLimitPerMinute;
        http.Response.Headers["X-Prepr-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-Prepr-RateLimit-Remaining"] = Math.Max(0, limit - windows.InMinute).ToString(CultureInfo.InvariantCulture);
        return windows.InMinute > limit ? PreprJson.Error(StatusCodes.Status429TooManyRequests, $"More than {limit} requests this minute.")
            : windows.InSecond > settings.PreprRateLimitPerSecond ? PreprJson.Error(StatusCodes.Status429TooManyRequests, $"More than {settings.PreprRateLimitPerSecond} requests this second.")
            : await next(context);
    }

    private sealed record Windows(long Minute, int InMinute, long Second, int InSecond);
}
