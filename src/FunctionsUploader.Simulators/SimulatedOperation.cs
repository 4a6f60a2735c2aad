namespace FunctionsUploader.Simulators;

/// <summary>
/// Endpoint metadata: which vendor operation a route simulates. Fault rules and the request log name operations
/// this way; <paramref name="Authenticated"/> is false for the calls that obtain credentials (token, login).
/// </summary>
public sealed record SimulatedOperation(SimulatedVendor Vendor, string Name, bool Authenticated = true);

internal static class SimulatedOperationRoutes
{
    public static RouteHandlerBuilder Simulates(this RouteHandlerBuilder route, SimulatedVendor vendor, string name, bool authenticated = true) =>
        route.WithMetadata(new SimulatedOperation(vendor, name, authenticated));
}
