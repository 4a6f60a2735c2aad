using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators.Inspection;

/// <summary>What the simulator learns about one request on its way through: tenant, operation, resource, faults.</summary>
internal sealed class SimulatedRequest
{
    private string? _faults;

    public Tenant? Tenant { get; set; }

    public SimulatedOperation? Operation { get; set; }

    /// <summary>The asset or upload the request was about, when the endpoint knows it better than its route does.</summary>
    public string? ResourceId { get; set; }

    /// <summary>A fault rule asked for the processing this request starts to fail.</summary>
    public bool FailProcessing { get; set; }

    /// <summary>A fault rule asked for the processing this request starts never to end.</summary>
    public bool StallProcessing { get; set; }

    /// <summary>How many status reads the processing this request starts reports in progress.</summary>
    public int ProcessingPolls => StallProcessing ? int.MaxValue : Tenant!.Settings.ProcessingPolls;

    /// <summary>The connection was reset instead of answering.</summary>
    public bool Dropped { get; set; }

    public string? Faults => _faults;

    public void AddFault(string effect) => _faults = _faults is null ? effect : _faults + "; " + effect;

    public static SimulatedRequest Of(HttpContext context) =>
        context.Features.Get<SimulatedRequest>() ?? throw new InvalidOperationException("The request recorder is not in the pipeline.");
}
