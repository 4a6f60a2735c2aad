using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Inspection;

/// <summary>
/// What a tenant's vendors ended up with: GET /_sim/tenants/{tenant}/requests (the request log),
/// GET /_sim/tenants/{tenant}/{vendor}/assets (ids) and GET /_sim/tenants/{tenant}/{vendor}/assets/{id} (an <see cref="AssetReport"/>).
/// </summary>
internal static class InspectionApi
{
    public static void MapInspection(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/tenants/{tenant}/requests", (string tenant, TenantRegistry tenants) =>
            tenants.Get(tenant) is { } found ? Results.Ok(found.Requests.Snapshot()) : TenantsApi.TenantNotFound(tenant));

        admin.MapGet("/tenants/{tenant}/{vendor}/assets", (string tenant, string vendor, TenantRegistry tenants, IEnumerable<IAssetInspector> inspectors) =>
        {
            if (tenants.Get(tenant) is not { } found)
            {
                return TenantsApi.TenantNotFound(tenant);
            }

            return InspectorOf(inspectors, vendor) is { } inspector ? Results.Ok(inspector.AssetIds(found)) : VendorNotFound(vendor);
        });

        admin.MapGet("/tenants/{tenant}/{vendor}/assets/{id}", async (string tenant, string vendor, string id, TenantRegistry tenants, IEnumerable<IAssetInspector> inspectors, CancellationToken cancellationToken) =>
        {
            if (tenants.Get(tenant) is not { } found)
            {
                return TenantsApi.TenantNotFound(tenant);
            }

            if (InspectorOf(inspectors, vendor) is not { } inspector)
            {
                return VendorNotFound(vendor);
            }

            return await inspector.InspectAsync(found, id, cancellationToken) is { } report
                ? Results.Ok(report)
                : Results.NotFound(new { error = $"Tenant '{tenant}' has no {vendor} asset '{id}'." });
        });
    }

    private static IAssetInspector? InspectorOf(IEnumerable<IAssetInspector> inspectors, string vendor) =>
        SimulatedVendorNames.TryParse(vendor, out var parsed) ? inspectors.FirstOrDefault(i => i.Vendor == parsed) : null;

    private static IResult VendorNotFound(string vendor) =>
        Results.NotFound(new { error = $"No simulated vendor '{vendor}' (mediavalet, picovico, prepr, panopto)." });
}
