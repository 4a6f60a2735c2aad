using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Auth;

/// <summary>How one vendor tells who is calling and whether their credentials are good, and how it words an error.</summary>
internal interface IVendorAuth
{
    SimulatedVendor Vendor { get; }

    /// <summary>The tenant the request's credentials name, whether or not they are valid now; null when they name none.</summary>
    ValueTask<Tenant?> IdentifyAsync(HttpContext context, SimulatedOperation operation);

    /// <summary>Null when the request's credentials are valid now for <paramref name="tenant"/>; otherwise why not (answered 401).</summary>
    string? Authenticate(HttpContext context, Tenant tenant);

    /// <summary>An error answer in the vendor's own shape.</summary>
    IResult Error(SimulatedOperation operation, int status, string message);
}
