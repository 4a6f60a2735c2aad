using System.Buffers;
using FunctionsUploader.Simulators.Inspection;

namespace FunctionsUploader.Simulators.Auth;

/// <summary>
/// Runs before every vendor endpoint: tells which tenant is calling, applies the tenant's fault rules that fire on
/// this request, then checks the credentials (401 in the vendor's own words) and hands over to the endpoint.
/// Faults come before authentication so that a rule can expire tokens and have this very request refused.
/// </summary>
internal sealed class VendorGate(IEnumerable<IVendorAuth> auths, ILogger<VendorGate> logger) : IEndpointFilter
{
    private readonly Dictionary<SimulatedVendor, IVendorAuth> _auths = auths.ToDictionary(a => a.Vendor);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var operation = http.GetEndpoint()?.Metadata.GetMetadata<SimulatedOperation>()
            ?? throw new InvalidOperationException($"The endpoint for {http.Request.Path} does not say which vendor operation it simulates.");
        var auth = _auths[operation.Vendor];
        var tenant = await auth.IdentifyAsync(http, operation);
        if (tenant is null)
        {
            return auth.Error(operation, 401, "The request carries no credentials this service knows.");
        }

        var request = SimulatedRequest.Of(http);
        request.Tenant = tenant;
        request.Operation = operation;

        var dropResponse = false;
        foreach (var rule in tenant.Faults.Fire(operation, http.Request.RouteValues))
        {
            var effect = rule.Describe();
            request.AddFault(effect);
            Logs.FaultFired(logger, tenant.Id, operation.Vendor, operation.Name, effect);
            if (rule.DelayMs > 0)
            {
                await Task.Delay(rule.DelayMs, http.RequestAborted);
            }

            if (rule.ExpireTokens)
            {
                tenant.ExpireTokens(operation.Vendor);
            }

            request.FailProcessing |= rule.FailProcessing;
            request.StallProcessing |= rule.StallProcessing;
            dropResponse |= rule.DropResponse;
            if (rule.DropConnection)
            {
                await DiscardAsync(http.Request.Body, rule.DropAfterBytes, http.RequestAborted);
                request.Dropped = true;
                http.Abort();
                return Results.Empty;
            }

            if (rule.Answers)
            {
                if (rule.RetryAfterSeconds is { } seconds)
                {
                    http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                if (rule.ErrorInOkBody)
                {
                    // The error body as the vendor writes it, under a 200 status set just before the headers go.
                    http.Response.OnStarting(() =>
                    {
                        http.Response.StatusCode = StatusCodes.Status200OK;
                        return Task.CompletedTask;
                    });
                }

                return auth.Error(operation, rule.Status ?? StatusCodes.Status429TooManyRequests, $"Simulated fault: {effect}.");
            }
        }

        if (operation.Authenticated && auth.Authenticate(http, tenant) is { } problem)
        {
            return auth.Error(operation, 401, problem);
        }

        var result = await next(context);
        if (dropResponse)
        {
            // The endpoint's effects stay; only its answer is lost, as when a connection breaks on the way back.
            request.Dropped = true;
            http.Abort();
            return Results.Empty;
        }

        return result;
    }

    private static async Task DiscardAsync(Stream body, long count, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            for (long read = 0, n; read < count; read += n)
            {
                n = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - read)), cancellationToken);
                if (n == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
