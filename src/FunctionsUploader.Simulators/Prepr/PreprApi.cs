using FunctionsUploader.Simulators.Auth;

namespace FunctionsUploader.Simulators.Prepr;

/// <summary>Prepr's asset routes under /prepr/ (api.eu1.prepr.io or mutation.prepr.io in production).</summary>
internal static class PreprApi
{
    private const SimulatedVendor Vendor = SimulatedVendor.Prepr;

    public static void MapPrepr(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/prepr")
            .AddEndpointFilter<VendorGate>()
            .AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<PreprRateLimit>().InvokeAsync(context, next));

        // One path, two ways in: JSON starts a chunked video, multipart/form-data with "source" is a whole file.
        api.MapPost("/assets", (HttpContext context, PreprAssets assets) => assets.StartAsync(context))
            .Accepts<object>("application/json")
            .Simulates(Vendor, "createAsset");
        api.MapPost("/assets", (HttpContext context, PreprAssets assets) => assets.UploadAsync(context))
            .Accepts<object>("multipart/form-data")
            .Simulates(Vendor, "uploadAsset");
        api.MapGet("/assets/{id}", (HttpContext context, string id, PreprAssets assets) => assets.Get(context, id))
            .Simulates(Vendor, "getAsset");
        api.MapPut("/assets/{id}", (HttpContext context, string id, PreprAssets assets) => assets.UpdateAsync(context, id))
            .Simulates(Vendor, "updateAsset");
        api.MapDelete("/assets/{id}", (HttpContext context, string id, PreprAssets assets) => assets.DeleteAsync(context, id))
            .Simulates(Vendor, "deleteAsset");

        // One path, two phases: the content type tells a chunk (multipart/form-data) from the finish (JSON).
        api.MapPost("/assets/{id}/multipart", (HttpContext context, string id, PreprChunks chunks) => chunks.TransferAsync(context, id))
            .Accepts<object>("multipart/form-data")
            .Simulates(Vendor, "transfer");
        api.MapPost("/assets/{id}/multipart", (HttpContext context, string id, PreprAssets assets) => assets.FinishAsync(context, id))
            .Accepts<object>("application/json")
            .Simulates(Vendor, "finish");
    }
}
