using FunctionsUploader.Simulators.Auth;

namespace FunctionsUploader.Simulators.Picovico;

/// <summary>Picovico's routes under /picovico/ (in production one of api.picovico.com/v2.x/).</summary>
internal static class PicovicoApi
{
    public const string LoginOperation = "login";

    private const SimulatedVendor Vendor = SimulatedVendor.Picovico;

    public static void MapPicovico(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/picovico").AddEndpointFilter<VendorGate>();

        api.MapPost("/login", (HttpContext context, PicovicoLogin login) => login.LogInAsync(context, asApp: false))
            .Simulates(Vendor, LoginOperation, authenticated: false);
        api.MapPost("/login/app", (HttpContext context, PicovicoLogin login) => login.LogInAsync(context, asApp: true))
            .Simulates(Vendor, "loginApp", authenticated: false);

        api.MapGet("/me/directupload/{asset}/{md5}", (HttpContext context, string asset, string md5, PicovicoDirectUploads uploads) => uploads.GetUploadUrlsAsync(context, asset, md5))
            .Simulates(Vendor, "getUploadUrls");
        api.MapPost("/me/directupload/{asset}/{md5}", (HttpContext context, string asset, string md5, PicovicoDirectUploads uploads) => uploads.CompleteAsync(context, asset, md5))
            .Simulates(Vendor, "completeUpload");
        api.MapGet("/me/videoclips/{id}", (HttpContext context, string id, PicovicoDirectUploads uploads) => uploads.GetVideoclip(context, id))
            .Simulates(Vendor, "getVideoclip");
        PicovicoPartUrls.Map(api);
    }
}
