using System.Text.Json.Serialization;

namespace FunctionsUploader.Simulators.Picovico;

// Wire shapes of Picovico's archived API docs (picovico/apidocs): success {"_count": n, "data": [...]},
// errors {"error": {"message": ...}, "status": code}.
internal static class PicovicoJson
{
    /// <summary>Picovico hands out presigned URLs per 5 MiB chunk; every part but the last must be exactly this size.</summary>
    public const int ChunkSize = 5 * 1024 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static IResult Ok(object value) => Results.Json(value, Options);

    /// <summary>
    /// One object as the tenant's API version answers it: v2.7 (docs/) wraps it in {"_count": 1, "data": [...]},
    /// v2.1 (api.blueprint/, the Python SDK) answers the object itself.
    /// </summary>
    public static IResult One(Tenants.Tenant tenant, object value) =>
        tenant.Settings.PicovicoApiVersion == "2.1" ? Ok(value) : Ok(new ObjectList(1, [value]));

    private sealed record ObjectList([property: JsonPropertyName("_count")] int Count, IReadOnlyList<object> Data);

    public static IResult Error(int status, string message) => Results.Json(new ErrorBody(new ErrorMessage(message), status), Options, statusCode: status);

    private sealed record ErrorBody(ErrorMessage Error, int Status);

    private sealed record ErrorMessage(string Message);
}

internal sealed record LoginResponse(string AccessKey, string AccessToken, string Id);

internal sealed record DirectUploadUrls(
    [property: JsonPropertyName("_count")] int Count,
    [property: JsonPropertyName("_upload")] bool Upload,
    IReadOnlyList<DirectUploadTarget> Data);

internal sealed record DirectUploadTarget(string UploadId, int ChunkSize, IReadOnlyList<PartUrl> Urls);

internal sealed record PartUrl([property: JsonPropertyName("PartNumber")] int PartNumber, string Url);

/// <summary>A known clip: GET directupload answers it with "_upload": false (dedupe by md5).</summary>
internal sealed record KnownClip(
    [property: JsonPropertyName("_count")] int Count,
    [property: JsonPropertyName("_upload")] bool Upload,
    IReadOnlyList<VideoclipBody> Data);

internal sealed record ClipList([property: JsonPropertyName("_count")] int Count, IReadOnlyList<VideoclipBody> Data);

/// <summary>The videoclip response object. [Assumed] url, preview_gif and thumbnail_url stay null: nothing is rendered.</summary>
internal sealed record VideoclipBody(string? Url, string? PreviewGif, string? ThumbnailUrl, string Id, string Status);

/// <summary>One entry of the finalize call's uploads=[{"PartNumber": 1, "ETag": "..."}] (read case-insensitively).</summary>
internal sealed record UploadedPart([property: JsonPropertyName("PartNumber")] int PartNumber, [property: JsonPropertyName("ETag")] string? ETag);
