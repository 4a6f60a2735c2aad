using System.ComponentModel.DataAnnotations;

namespace FunctionsUploader.Vendors.Picovico;

/// <summary>
/// How to reach a Picovico account: bound from "Uploader:Vendors:Picovico". The password comes from configuration
/// (Key Vault references in Azure) and is never printed.
/// </summary>
public sealed class PicovicoOptions
{
    /// <summary>
    /// The API root, version included. Picovico's archived docs name three (api2.picovico.com/v2.7/,
    /// api.picovico.com/v2.1/, uapi-f1.picovico.com/v2.1/) and none is known to be live, so there is no default.
    /// </summary>
    [Required]
    public Uri? BaseUrl { get; set; }

    /// <summary>The app id from Picovico's developer site, sent as X-PV-Meta-App on every call.</summary>
    [Required]
    public string AppId { get; set; } = string.Empty;

    [Required]
    public string Username { get; set; } = string.Empty;

    [Required]
    public string Password { get; set; } = string.Empty;

    /// <summary>The login's optional device_id: names this uploader among the account's devices.</summary>
    public string DeviceId { get; set; } = "functions-uploader";

    /// <summary>The longest one API call may take before it counts as a transient failure (part uploads are timed by the transfer).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    public VendorRetryOptions Retry { get; set; } = new();

    public override string ToString() => $"PicovicoOptions {{ BaseUrl = {BaseUrl}, AppId = {AppId}, DeviceId = {DeviceId}, secrets redacted }}";
}
