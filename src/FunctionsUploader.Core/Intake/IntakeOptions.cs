namespace FunctionsUploader.Intake;

/// <summary>Where files arrive and where they go afterwards. Bound from the "Uploader:Staging" settings.</summary>
public sealed class StagingOptions
{
    /// <summary>A storage connection string (account key or SAS; UseDevelopmentStorage=true for Azurite); wins over <see cref="BlobEndpoint"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The https blob endpoint, reached with a token credential (managed identity in Azure): the production path. No
    /// key is needed; server-side copies read the source through a user delegation SAS.
    /// </summary>
    public Uri? BlobEndpoint { get; set; }

    public string Container { get; set; } = "staging";

    /// <summary>Sources the vendor has accepted move here, under the same name.</summary>
    public string ProcessedContainer { get; set; } = "processed";

    /// <summary>Sources of failed jobs move here, with &lt;name&gt;.error.json beside them.</summary>
    public string FailedContainer { get; set; } = "failed";

    /// <summary>The job store: vendor sessions, part receipts (never in the orchestration).</summary>
    public string JobsContainer { get; set; } = "upload-jobs";
}

/// <summary>
/// A staging path prefix and the vendors its files go to, with defaults for what a file's sidecar or
/// metadata does not say. Bound from "Uploader:Routes:N".
/// </summary>
public sealed class RouteOptions
{
    public string Prefix { get; set; } = string.Empty;

    public List<string> Vendors { get; set; } = [];

    public string? Title { get; set; }

    public string? Description { get; set; }

    public List<string> Categories { get; set; } = [];

    public Dictionary<string, string> Metadata { get; set; } = [];

    public string? Status { get; set; }

    public string? Folder { get; set; }

    /// <summary>Where to POST the result when a job from this route ends (a request or sidecar may name its own).</summary>
    public string? CallbackUrl { get; set; }
}

/// <summary>The "Uploader" settings section the intake reads.</summary>
public sealed class IntakeOptions
{
    public StagingOptions Staging { get; set; } = new();

    public List<RouteOptions> Routes { get; set; } = [];

    public CallbackOptions Callbacks { get; set; } = new();
}

/// <summary>How completion callbacks are signed. Bound from "Uploader:Callbacks".</summary>
public sealed class CallbackOptions
{
    /// <summary>The HMAC-SHA256 key receivers verify callbacks with (a Key Vault reference in Azure). Callbacks need it.</summary>
    public string? SigningSecret { get; set; }
}
