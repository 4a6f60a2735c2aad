using System.ComponentModel.DataAnnotations;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Vendors.MediaValet;

/// <summary>
/// How to reach one MediaValet library: bound from "Uploader:Vendors:MediaValet". The secrets (client secret,
/// password, subscription key) come from configuration (Key Vault references in Azure) and are never printed.
/// </summary>
public sealed class MediaValetOptions
{
    /// <summary>The login service; its token endpoint is connect/token below it.</summary>
    [Required]
    public Uri? AuthUrl { get; set; } = new("https://login.mediavalet.com/");

    /// <summary>The API: uploads, assets.</summary>
    [Required]
    public Uri? ApiUrl { get; set; } = new("https://api.mediavalet.com/");

    [Required]
    public string ClientId { get; set; } = string.Empty;

    [Required]
    public string ClientSecret { get; set; } = string.Empty;

    [Required]
    public string Username { get; set; } = string.Empty;

    [Required]
    public string Password { get; set; } = string.Empty;

    /// <summary>The APIM key every API call sends as Ocp-Apim-Subscription-Key.</summary>
    [Required]
    public string SubscriptionKey { get; set; } = string.Empty;

    /// <summary>
    /// The official sample's scope. Add "offline_access" where the client may have refresh tokens: the connector then
    /// renews its token with the refresh_token grant instead of sending the password again.
    /// </summary>
    [Required]
    public string Scope { get; set; } = "openid api";

    /// <summary>The Azure block size parts are cut into (bytes); larger files get larger blocks.</summary>
    [Range(1, PartRules.AzureMaxBlockSize)]
    public long BlockSize { get; set; } = 16 * PartRules.MiB;

    /// <summary>Let MediaValet's storage copy blocks from the staging blob itself (Put Block From URL), falling back to streaming.</summary>
    public bool ServerSideCopy { get; set; } = true;

    /// <summary>The longest one API call may take before it counts as a transient failure.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    public VendorRetryOptions Retry { get; set; } = new();

    public override string ToString() => $"MediaValetOptions {{ AuthUrl = {AuthUrl}, ApiUrl = {ApiUrl}, ClientId = {ClientId}, Scope = {Scope}, secrets redacted }}";
}
