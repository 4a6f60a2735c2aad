
namespace FunctionsUploader.Simulators.Inspection;

/// <summary>Middleware: gives every request a <see cref="SimulatedRequest"/> and, once answered, writes it to its tenant's log.</summary>
internal sealed class RequestRecorder(RequestDelegate next, TimeProvider time, ILogger<RequestRecorder> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = new SimulatedRequest();
        context.Features.Set(request);
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            if (request.Tenant is { } tenant && request.Operation is { } operation)
            {
                var status = request.Dropped ? 0 : failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
                var path = (context.Request.PathBase + context.Request.Path).Value ?? string.Empty;
                var resourceId = request.ResourceId ?? ResourceIdOf(context.Request.RouteValues);
                tenant.Requests.Add(new RequestRecord(time.GetUtcNow(), operation.Vendor, operation.Name, context.Request.Method, path, status, resourceId, request.Faults));
                Logs.VendorRequest(logger, tenant.Id, operation.Vendor, operation.Name, context.Request.Method, path, status);
            }
        }
    }

    private static string? ResourceIdOf(RouteValueDictionary values) =>
        (values.TryGetValue("id", out var id) ? id : values.TryGetValue("md5", out var md5) ? md5 : null) as string;
}
