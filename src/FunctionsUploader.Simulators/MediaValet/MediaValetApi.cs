using FunctionsUploader.Simulators.Auth;

namespace FunctionsUploader.Simulators.MediaValet;

/// <summary>
/// MediaValet's routes under /mediavalet/: the login service (connect/token, login.mediavalet.com in production)
/// and the API (api.mediavalet.com). A connector configured with both base URLs set to /mediavalet/ runs unchanged.
/// </summary>
internal static class MediaValetApi
{
    private const SimulatedVendor Vendor = SimulatedVendor.MediaValet;

    public static void MapMediaValet(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/mediavalet").AddEndpointFilter<VendorGate>();

        OAuthTokenEndpoint.Map(api, "/connect/token", Vendor, MediaValetAuth.ClientOf);

        api.MapPost("/uploads", (HttpContext context, MediaValetUploads uploads) => uploads.CreateAsync(context))
            .Simulates(Vendor, "createUpload");
        api.MapGet("/uploads/{id}", (HttpContext context, string id, MediaValetUploads uploads) => uploads.Get(context, id))
            .Simulates(Vendor, "getUpload");
        api.MapPut("/uploads/{id}", (HttpContext context, string id, MediaValetUploads uploads) => uploads.UpdateAsync(context, id))
            .Simulates(Vendor, "updateUpload");
        api.MapPatch("/uploads/{id}", (HttpContext context, string id, MediaValetUploads uploads) => uploads.FinalizeAsync(context, id))
            .Simulates(Vendor, "finalizeUpload");
        api.MapDelete("/uploads/{id}", (HttpContext context, string id, MediaValetUploads uploads) => uploads.CancelAsync(context, id))
            .Simulates(Vendor, "cancelUpload");
        api.MapPost("/uploads/{id}/categories", (HttpContext context, string id, MediaValetUploads uploads) => uploads.AddCategoriesAsync(context, id))
            .Simulates(Vendor, "addCategories");
        api.MapDelete("/uploads/{id}/categories", (HttpContext context, string id, MediaValetUploads uploads) => uploads.RemoveCategoriesAsync(context, id))
            .Simulates(Vendor, "removeCategories");
        api.MapPost("/uploads/{id}/keywords", (HttpContext context, string id, MediaValetUploads uploads) => uploads.AddKeywordsAsync(context, id))
            .Simulates(Vendor, "addKeywords");
        api.MapDelete("/uploads/{id}/keywords", (HttpContext context, string id, MediaValetUploads uploads) => uploads.RemoveKeywordsAsync(context, id))
            .Simulates(Vendor, "removeKeywords");
        api.MapPost("/uploads/{id}/attributes", (HttpContext context, string id, MediaValetUploads uploads) => uploads.AddAttributesAsync(context, id))
            .Simulates(Vendor, "addAttributes");

        api.MapGet("/assets/{id}", (HttpContext context, string id, MediaValetCheckIns checkIns) => checkIns.GetAsset(context, id))
            .Simulates(Vendor, "getAsset");
        api.MapPost("/assets/{id}/checkOut", (HttpContext context, string id, MediaValetCheckIns checkIns) => checkIns.CheckOutAsync(context, id))
            .Simulates(Vendor, "checkOut");
        api.MapPost("/assets/{id}/checkIn/validate", (HttpContext context, string id, MediaValetCheckIns checkIns) => checkIns.ValidateAsync(context, id))
            .Simulates(Vendor, "validateCheckIn");
        api.MapGet("/assets/{id}/checkIn/uploadUrl", (HttpContext context, string id, MediaValetCheckIns checkIns) => checkIns.GetUploadUrl(context, id))
            .Simulates(Vendor, "getCheckInUploadUrl");
        api.MapPut("/assets/{id}/checkIn", (HttpContext context, string id, MediaValetCheckIns checkIns) => checkIns.CheckInAsync(context, id))
            .Simulates(Vendor, "checkIn");
    }
}
