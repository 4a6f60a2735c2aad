using System.ComponentModel.DataAnnotations;
using FunctionsUploader.Storage;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Vendors.Panopto;

/// <summary>
/// Uploader:Vendors:Panopto: one Panopto server, an OAuth2 API client of type "User Based Server Application"
/// (password grant), the default folder, and the S3 client settings for the session's upload target.
/// </summary>
public sealed class PanoptoOptions
{
    /// <summary>https://{server}/: the token endpoint is Panopto/oauth2/connect/token and the REST API Panopto/PublicAPI/REST/ below it.</summary>
    [Required]
    public Uri? ServerUrl { get; set; }

    [Required]
    public string? ClientId { get; set; }

    [Required]
    public string? ClientSecret { get; set; }

    [Required]
    public string? Username { get; set; }

    [Required]
    public string? Password { get; set; }

    /// <summary>
    /// "openid api", as Panopto's password-grant sample asks. Adding offline_access asks for a refresh token; a server
    /// that refuses it (invalid_scope) is asked again without it, and the password renews the token instead.
    /// </summary>
    public string Scope { get; set; } = "openid api";

    /// <summary>Client id and secret in a Basic header (as Panopto's Python sample sends them) rather than in the form.</summary>
    public bool BasicClientAuthentication { get; set; } = true;

    /// <summary>The folder sessions go to when a job names none.</summary>
    public Guid? FolderId { get; set; }

    /// <summary>
    /// The S3 access key for the upload target. Panopto's own target takes any (its samples send "dummy", which is used
    /// when this is unset); an S3 server that checks keys (s3rver behind the simulator) needs its own.
    /// </summary>
    public string? UploadAccessKey { get; set; }

    public string? UploadSecretKey { get; set; }

    public string UploadRegion { get; set; } = "us-east-1";

    public bool UploadForcePathStyle { get; set; } = true;

    /// <summary>Checksums only when an operation requires them: S3-compatible servers reject or mangle AWSSDK.S3 4.x's default ones.</summary>
    public bool UploadChecksumsOnlyWhenRequired { get; set; } = true;

    public S3PayloadSigning UploadPayloadSigning { get; set; } = S3PayloadSigning.Auto;

    /// <summary>"Between 5MB and 25MB" per Panopto's samples; larger files get larger parts, up to 25 MB, to stay within 10,000 parts.</summary>
    [Range(PartRules.S3MinPartSize, PartRules.PanoptoMaxPartSize)]
    public long PartSize { get; set; } = 16 * PartRules.MiB;

    /// <summary>How long one API call may take (the S3 parts are bounded by the transfer engine).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    public VendorRetryOptions Retry { get; set; } = new();

    public override string ToString() =>
        $"{nameof(PanoptoOptions)} {{ ServerUrl = {(ServerUrl is null ? null : BlobSas.Redact(ServerUrl))}, ClientId = {ClientId}, Username = {Username}, " +
        $"ClientSecret = (redacted), Password = (redacted), FolderId = {FolderId}, UploadAccessKey = {UploadAccessKey}, UploadSecretKey = (redacted), PartSize = {PartSize} }}";
}
