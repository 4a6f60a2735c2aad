using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace FunctionsUploader.Simulators.Tenants;

/// <summary>
/// POST /_sim/tenants creates a tenant (body: any TenantSettings fields to override the defaults) and answers its
/// credentials; GET /_sim/tenants/{tenant} answers them again. "default" always exists.
/// </summary>
internal static class TenantsApi
{
    public static void MapTenants(this IEndpointRouteBuilder admin)
    {
        admin.MapPost("/tenants", async (HttpContext context, TenantRegistry tenants, IOptions<JsonOptions> json) =>
        {
            var settings = await ReadSettingsAsync(context.Request, tenants.Defaults, json.Value.SerializerOptions);
            if (settings.Error is not null)
            {
                return Results.BadRequest(new { error = settings.Error });
            }

            var tenant = tenants.Create(settings.Value).ToPublic();
            return Results.Created($"/_sim/tenants/{tenant.Id}", tenant);
        });

        admin.MapGet("/tenants/{tenant}", (string tenant, TenantRegistry tenants) =>
            tenants.Get(tenant) is { } found ? Results.Ok(found.ToPublic()) : TenantNotFound(tenant));
    }

    public static IResult TenantNotFound(string tenant) => Results.NotFound(new { error = $"No tenant '{tenant}'." });

    /// <summary>The defaults with the fields the body sets laid over them.</summary>
    private static async Task<(TenantSettings? Value, string? Error)> ReadSettingsAsync(HttpRequest request, TenantSettings defaults, JsonSerializerOptions options)
    {
        var merged = JsonSerializer.SerializeToNode(defaults, options)!.AsObject();
        if (request.ContentLength is not (null or 0) || request.HasJsonContentType())
        {
            try
            {
                if (await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) is JsonObject body)
                {
                    foreach (var (name, value) in body)
                    {
                        var known = merged.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                            ?? throw new JsonException($"Unknown setting '{name}'.");
                        merged[known] = value?.DeepClone();
                    }
                }
            }
            catch (JsonException e)
            {
                return (null, e.Message);
            }
        }

        TenantSettings? settings;
        try
        {
            settings = merged.Deserialize<TenantSettings>(options);
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }

        return settings?.Validate() is { } problem ? (null, problem) : (settings, null);
    }
}
