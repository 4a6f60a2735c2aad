namespace FunctionsUploader.Simulators.Prepr;

// Wire shapes of Prepr's REST assets API (docs.prepr.io, seed 003; asset JSON as vpro/prepr's fixtures show it).
// [Assumed] where the sources are silent: start answers 201; errors are {"status": code, "message": ...}; each
// transfer appends its chunk, and source_file{start_offset, end_offset} shows the range of the last chunk received.
internal static class PreprJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static IResult Ok(object value, int status = StatusCodes.Status200OK) => Results.Json(value, Options, statusCode: status);

    public static IResult Error(int status, string message) => Results.Json(new ErrorBody(status, message), Options, statusCode: status);

    public static IResult NotFound(string id) => Error(StatusCodes.Status404NotFound, $"Asset {id} does not exist.");

    private sealed record ErrorBody(int Status, string Message);
}

/// <summary>POST /assets {"label": "Video", "upload_phase": "start", "file_size": "8308859", ...}; file_size is a string in Prepr's example (a number is taken too).</summary>
internal sealed record StartAssetRequest(
    string? Label,
    string? UploadPhase,
    JsonElement FileSize,
    string? Name,
    string? Body,
    string? Author,
    string? ReferenceId,
    JsonElement? Tags,
    JsonElement? Collections);

/// <summary>PUT /assets/{id}: the fields it sets; absent ones stay.</summary>
internal sealed record UpdateAssetRequest(string? Name, string? Body, string? Author, string? ReferenceId, JsonElement? Tags, JsonElement? Collections);

internal sealed record FinishRequest(string? UploadPhase);

internal sealed record AssetBody(
    string Id,
    DateTimeOffset CreatedOn,
    DateTimeOffset ChangedOn,
    string Label,
    string? Name,
    string? Body,
    string? Author,
    string? ReferenceId,
    string? Status,
    string? OriginalName,
    SourceFileBody SourceFile,
    JsonElement? Tags,
    JsonElement? Collections,
    IReadOnlyList<CdnFileBody> CdnFiles);

internal sealed record SourceFileBody(string Label, string? OriginalName, long FileSize, int Chunks, long StartOffset, long EndOffset);

internal sealed record CdnFileBody(string Id, string Label, string File);
