using System.ComponentModel.DataAnnotations;
using FunctionsUploader.Storage;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Vendors.Prepr;

/// <summary>Uploader:Vendors:Prepr: one Prepr environment, reached with its static access token.</summary>
public sealed class PreprOptions
{
    /// <summary>The REST API root that serves assets (https://api.eu1.prepr.io/; the simulator's /prepr/).</summary>
    [Required]
    public Uri? BaseUrl { get; set; }

    /// <summary>The environment's access token (scopes assets, assets_publish, assets_delete); it never expires and is never refreshed.</summary>
    [Required]
    public string? AccessToken { get; set; }

    /// <summary>Bytes per video transfer request; Prepr's documented default is 52,428,800 (50 MiB).</summary>
    [Range(1, long.MaxValue)]
    public long ChunkSize { get; set; } = PartRules.PreprChunkSize;

    /// <summary>How long one API call (not a chunk: the transfer engine bounds those) may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Requests a second at most: Prepr's documented default limit is 35.</summary>
    [Range(1, 1000)]
    public int RequestsPerSecond { get; set; } = 35;

    /// <summary>How long to hold every request once Prepr says the limit is spent (Remaining 0 or a 429): its per-minute window.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    public VendorRetryOptions Retry { get; set; } = new();

    public override string ToString() => $"{nameof(PreprOptions)} {{ BaseUrl = {(BaseUrl is null ? null : BlobSas.Redact(BaseUrl))}, AccessToken = (redacted), ChunkSize = {ChunkSize} }}";
}
