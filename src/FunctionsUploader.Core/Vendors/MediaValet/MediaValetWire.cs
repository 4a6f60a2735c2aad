using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsUploader.Vendors.MediaValet;

// MediaValet's wire shapes. API answers travel in an envelope {apiVersion, meta, recordCount, payload}; [Assumed] its
// casing is camelCase as the check-in article's JSON is (read case-insensitively, as the official sample does).

internal static class MediaValetWire
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The finalize of the official sample: JSON Patch [{"op":"replace","path":"/status","value":1}].</summary>
    public static readonly object[] FinalizePatch = [new { op = "replace", path = "/status", value = 1 }];
}

internal sealed record MediaValetEnvelope<T>(T? Payload);

/// <summary>POST uploads: the holder asset's id, its SAS upload URL and the blob name the fill must repeat (AssetAUploadAccessInfo).</summary>
internal sealed record MediaValetUploadAccess(string? Id, string? UploadUrl, string? UploadFilename);

/// <summary>GET assets/{id}/checkIn/uploadUrl: [Seed] uploadFileName and mediaFileId beside the article's uploadUrl.</summary>
internal sealed record MediaValetCheckInAccess(string? UploadUrl, string? UploadFileName, string? MediaFileId);

/// <summary>PUT assets/{id}/checkIn, the seed's finalize of a check-in (answered 202).</summary>
internal sealed record MediaValetCheckIn(
    string Id,
    string UploadUrl,
    string UploadFileName,
    string MediaFileId,
    int Status,
    string? Comment,
    long FileSizeInBytes,
    string FileName);

/// <summary>The token endpoint's answer (RFC 6749, snake_case).</summary>
internal sealed record MediaValetTokenAnswer(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken);
