using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Faults;

/// <summary>
/// Fault rules at run time, per tenant: POST /_sim/tenants/{tenant}/faults adds one (a <see cref="FaultRule"/> as
/// JSON), GET lists them with their counters, DELETE clears them. GET /_sim/operations names every operation.
/// </summary>
internal static class FaultsApi
{
    public static void MapFaults(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/operations", (EndpointDataSource endpoints) => Operations(endpoints));

        admin.MapPost("/tenants/{tenant}/faults", (string tenant, FaultRule rule, TenantRegistry tenants, EndpointDataSource endpoints) =>
        {
            if (tenants.Get(tenant) is not { } found)
            {
                return TenantsApi.TenantNotFound(tenant);
            }

            return rule.Validate(Operations(endpoints)) is { } problem
                ? Results.BadRequest(new { error = problem })
                : Results.Created($"/_sim/tenants/{tenant}/faults", found.Faults.Add(rule));
        });

        admin.MapGet("/tenants/{tenant}/faults", (string tenant, TenantRegistry tenants) =>
            tenants.Get(tenant) is { } found ? Results.Ok(found.Faults.List()) : TenantsApi.TenantNotFound(tenant));

        admin.MapDelete("/tenants/{tenant}/faults", (string tenant, TenantRegistry tenants) =>
        {
            if (tenants.Get(tenant) is not { } found)
            {
                return TenantsApi.TenantNotFound(tenant);
            }

            found.Faults.Clear();
            return Results.NoContent();
        });
    }

    private static IReadOnlyCollection<SimulatedOperation> Operations(EndpointDataSource endpoints) =>
        [.. endpoints.Endpoints.Select(e => e.Metadata.GetMetadata<SimulatedOperation>()).OfType<SimulatedOperation>().Distinct()];
}
