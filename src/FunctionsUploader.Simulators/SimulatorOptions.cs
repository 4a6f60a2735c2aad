using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Simulators.Tenants;

namespace FunctionsUploader.Simulators;

/// <summary>
/// Where the simulated vendors keep bytes and how they behave (configuration section "Simulator" when run by hand).
/// </summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>An Azure Blob connection string with an account key (Azurite's in tests): MediaValet's SAS uploads and Prepr's chunks land there.</summary>
    public string? BlobConnectionString { get; set; }

    public string MediaValetContainer { get; set; } = "mediavalet";

    public string PreprContainer { get; set; } = "prepr";

    /// <summary>An S3 service URL (s3rver in tests): Picovico's presigned part URLs and Panopto's upload target point there.</summary>
    public Uri? S3Endpoint { get; set; }

    public string S3Bucket { get; set; } = "uploads";

    public string S3AccessKey { get; set; } = "S3RVER";

    public string S3SecretKey { get; set; } = "S3RVER";

    /// <summary>The settings every tenant starts with.</summary>
    public TenantSettings Defaults { get; set; } = new();

    /// <summary>The credentials of the tenant named "default" (hand runs and the CLI sandbox use it).</summary>
    public TenantCredentials DefaultCredentials { get; set; } = new();

    /// <summary>Fault rules every tenant starts with; each tenant counts its own requests against them.</summary>
    public IList<FaultRule> Faults { get; } = [];

    /// <summary>Logging of an in-process simulator (<see cref="VendorSimulator.StartAsync"/>); none when null.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }
}
