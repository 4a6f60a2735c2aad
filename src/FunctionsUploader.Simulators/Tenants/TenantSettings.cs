namespace FunctionsUploader.Simulators.Tenants;

/// <summary>How the simulated vendors behave for one tenant. The defaults are the vendors' own where they publish one.</summary>
public sealed class TenantSettings
{
    /// <summary>Access token lifetime (MediaValet, Picovico, Panopto); reported as expires_in.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>MediaValet upload SAS lifetime (24 h per MediaValet's check-in article); Azurite enforces it.</summary>
    public TimeSpan SasLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Picovico presigned part URL lifetime (X-Amz-Expires).</summary>
    public TimeSpan PresignedUrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Status reads that still report processing after an upload is finalized (Picovico, Prepr, Panopto).</summary>
    public int ProcessingPolls { get; set; } = 1;

    /// <summary>Prepr's chunk size (52,428,800 B per Prepr's documentation); tests use a small one.</summary>
    public int PreprChunkSize { get; set; } = 52_428_800;

    /// <summary>Prepr requests per minute before 429 (X-Prepr-RateLimit-Limit); Prepr's documented default is 800.</summary>
    public int PreprRateLimitPerMinute { get; set; } = 800;

    /// <summary>Prepr requests per second before 429; Prepr's documented default is 35.</summary>
    public int PreprRateLimitPerSecond { get; set; } = 35;

    /// <summary>How long Prepr's "minute" window lasts here; tests shorten it so a spent limit comes back quickly.</summary>
    public TimeSpan PreprRateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The OAuth token endpoints (MediaValet, Panopto) answer a scope with offline_access with invalid_scope, as a server may.</summary>
    public bool RefuseOfflineAccess { get; set; }

    /// <summary>Picovico's API version: "2.7" wraps login and videoclip answers in {"_count", "data": [...]}, "2.1" answers the bare object.</summary>
    public string PicovicoApiVersion { get; set; } = "2.7";

    /// <summary>Panopto's upload target answers part ETags that are not the parts' MD5 (nothing promises they are).</summary>
    public bool PanoptoOpaqueETags { get; set; }

    public TenantSettings Copy() => (TenantSettings)MemberwiseClone();

    /// <summary>Null when the settings are usable, else what is wrong with them.</summary>
    public string? Validate() =>
        TokenLifetime <= TimeSpan.Zero ? "tokenLifetime must be positive."
        : SasLifetime <= TimeSpan.Zero ? "sasLifetime must be positive."
        : PresignedUrlLifetime <= TimeSpan.Zero ? "presignedUrlLifetime must be positive."
        : ProcessingPolls < 0 ? "processingPolls must not be negative."
        : PreprChunkSize <= 0 ? "preprChunkSize must be positive."
        : PreprRateLimitPerMinute <= 0 ? "preprRateLimitPerMinute must be positive."
        : PicovicoApiVersion is not ("2.7" or "2.1") ? "picovicoApiVersion must be \"2.7\" or \"2.1\"."
        : PreprRateLimitPerSecond <= 0 ? "preprRateLimitPerSecond must be positive."
        : PreprRateLimitWindow < TimeSpan.FromMilliseconds(1) ? "preprRateLimitWindow must be at least 1 ms."
        : null;
}
