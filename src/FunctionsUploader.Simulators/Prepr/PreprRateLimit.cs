using System.Collections.Concurrent;
using FunctionsUploader.Simulators.Inspection;

namespace FunctionsUploader.Simulators.Prepr;

/// <summary>
/// Prepr's per-minute request ceiling, per tenant: every answer carries X-Prepr-RateLimit-Limit and
/// X-Prepr-RateLimit-Remaining, and the request past the ceiling gets 429 (Prepr documents no Retry-After).
/// </summary>
internal sealed class PreprRateLimit(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var tenant = SimulatedRequest.Of(http).Tenant!;
        var limit = tenant.Settings.PreprRateLimitPerMinute;
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var window = _windows.AddOrUpdate(tenant.Id, _ => new Window(minute, 1), (_, w) => w.Minute == minute ? w with { Count = w.Count + 1 } : new Window(minute, 1));
        http.Response.Headers["X-Prepr-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-Prepr-RateLimit-Remaining"] = Math.Max(0, limit - window.Count).ToString(CultureInfo.InvariantCulture);
        return window.Count > limit
            ? PreprJson.Error(StatusCodes.Status429TooManyRequests, $"More than {limit} requests this minute.")
            : await next(context);
    }

    private sealed record Window(long Minute, int Count);
}
