using FunctionsUploader.Simulators.Auth;

namespace FunctionsUploader.Simulators.Panopto;

/// <summary>A Panopto server under /panopto/: Panopto/oauth2/connect/token and Panopto/PublicAPI/REST/sessionUpload.</summary>
internal static class PanoptoApi
{
    private const SimulatedVendor Vendor = SimulatedVendor.Panopto;

    public static void MapPanopto(this IEndpointRouteBuilder app)
    {
        var server = app.MapGroup("/panopto/Panopto").AddEndpointFilter<VendorGate>();

        OAuthTokenEndpoint.Map(server, "/oauth2/connect/token", Vendor, PanoptoAuth.ClientOf);
        PanoptoUploadTargets.Map(server);

        var rest = server.MapGroup("/PublicAPI/REST");
        rest.MapPost("/sessionUpload", (HttpContext context, PanoptoSessionUploads uploads) => uploads.CreateAsync(context))
            .Simulates(Vendor, "createSessionUpload");
        rest.MapGet("/sessionUpload/{id}", (HttpContext context, string id, PanoptoSessionUploads uploads) => uploads.Get(context, id))
            .Simulates(Vendor, "getSessionUpload");
        rest.MapPut("/sessionUpload/{id}", (HttpContext context, string id, PanoptoSessionUploads uploads) => uploads.FinishAsync(context, id))
            .Simulates(Vendor, "updateSessionUpload");
        rest.MapDelete("/sessionUpload/{id}", (HttpContext context, string id, PanoptoSessionUploads uploads) => uploads.CancelAsync(context, id))
            .Simulates(Vendor, "deleteSessionUpload");
    }
}
