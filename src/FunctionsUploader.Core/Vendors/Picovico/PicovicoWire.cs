using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsUploader.Vendors.Picovico;

// Picovico's wire shapes (picovico/apidocs): success {"_count": n, "data": [...]}, snake_case fields, part numbers
// as S3 spells them ("PartNumber", "ETag").

internal static class PicovicoWire
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// One object, however Picovico's version answers it: v2.7 wraps it in {"_count": n, "data": [object]}, v2.1
    /// answers the object itself. Null when data is empty.
    /// </summary>
    public static T? One<T>(JsonElement answer)
        where T : class =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
            ? data.GetArrayLength() == 0 ? null : data[0].Deserialize<T>(Json)
            : answer.Deserialize<T>(Json);

    /// <summary>The words of an error answer {"error": {"message": ...}, "status": code}.</summary>
    public static string? ErrorMessage(JsonElement body) => body.Deserialize<PicovicoError>(Json)?.Error?.Message;
}

internal sealed record PicovicoLoginAnswer(string? AccessKey, string? AccessToken);

/// <summary>GET me/directupload/...: either a known clip (_upload false) or an upload with its part URLs (_upload true).</summary>
internal sealed record PicovicoDirectUploadAnswer(
    [property: JsonPropertyName("_upload")] bool? Upload,
    IReadOnlyList<PicovicoDirectUploadData>? Data);

/// <summary>The union of the two answers' objects: a videoclip (id, status) or an upload (upload_id, chunk_size, urls).</summary>
internal sealed record PicovicoDirectUploadData(string? Id, string? Status, string? UploadId, long? ChunkSize, IReadOnlyList<PicovicoPartUrl>? Urls);

internal sealed record PicovicoPartUrl([property: JsonPropertyName("PartNumber")] int PartNumber, string? Url);

/// <summary>One entry of the finalize's uploads=[{"PartNumber": 1, "ETag": "..."}].</summary>
internal sealed record PicovicoUploadedPart([property: JsonPropertyName("PartNumber")] int PartNumber, [property: JsonPropertyName("ETag")] string ETag);

internal sealed record PicovicoClipList(IReadOnlyList<PicovicoClip>? Data);

/// <summary>The videoclip response object; status is pending, available or failed.</summary>
internal sealed record PicovicoClip(string? Id, string? Status);

internal sealed record PicovicoError(PicovicoErrorDetail? Error);

internal sealed record PicovicoErrorDetail(string? Message);
