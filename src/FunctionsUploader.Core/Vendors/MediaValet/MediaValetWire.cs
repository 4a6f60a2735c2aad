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

    /// <summary>The words of an API error (meta.errors[].message) or a token error (error_description).</summary>
    public static string? ErrorMessage(JsonElement body)
    {
        var error = body.Deserialize<MediaValetError>(Json);
        var messages = error?.Meta?.Errors?.Select(e => e.Message).OfType<string>().ToList() ?? [];
        return messages.Count > 0 ? string.Join("; ", messages) : error?.ErrorDescription;
    }
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

/// <summary>An error answer: the API's envelope with meta.errors, or the token endpoint's RFC 6749 error.</summary>
internal sealed record MediaValetError(MediaValetErrorMeta? Meta, [property: JsonPropertyName("error_description")] string? ErrorDescription);

internal sealed record MediaValetErrorMeta(IReadOnlyList<MediaValetErrorEntry>? Errors);

internal sealed record MediaValetErrorEntry(string? Code, string? Message);
