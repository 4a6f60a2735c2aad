using System.Text.Json;

namespace FunctionsUploader.Vendors.MediaValet;

// MediaValet's wire shapes. API answers travel in an envelope {apiVersion, meta, recordCount, payload}; [Assumed] its
// casing is camelCase as the check-in article's JSON is (read case-insensitively, as the official sample does).

internal static class MediaValetWire
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The finalize of the official sample: JSON Patch [{"op":"replace","path":"/status","value":1}].</summary>
    public static readonly object[] FinalizePatch = [new { op = "replace", path = "/status", value = 1 }];

    /// <summary>The words of an API error (meta.errors[].message) or of the login service's RFC 6749 error.</summary>
    public static string? ErrorMessage(JsonElement body)
    {
        var messages = body.Deserialize<MediaValetError>(Json)?.Meta?.Errors?.Select(e => e.Message).OfType<string>().ToList() ?? [];
        return messages.Count > 0 ? string.Join("; ", messages) : OAuth2PasswordTokens.ErrorMessage(body);
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

/// <summary>An API error answer: the envelope with meta.errors.</summary>
internal sealed record MediaValetError(MediaValetErrorMeta? Meta);

internal sealed record MediaValetErrorMeta(IReadOnlyList<MediaValetErrorEntry>? Errors);

internal sealed record MediaValetErrorEntry(string? Code, string? Message);
