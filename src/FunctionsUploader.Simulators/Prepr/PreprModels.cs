namespace FunctionsUploader.Simulators.Prepr;

// Wire shapes of Prepr's REST assets API (docs.prepr.io, seed 003). [Assumed] where the docs are silent:
// start answers 201; errors are {"status": code, "message": ...}; the asset's source_file{file_size, chunks, start_offset, end_offset,
// original_name} gives the range [start_offset, end_offset) to send next (equal offsets: all bytes are in); "status"
// is uploading -> encoding -> ready | failed and cdn_files stays empty until ready.
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
    string Status,
    SourceFileBody SourceFile,
    JsonElement? Tags,
    JsonElement? Collections,
    ItemsBody CdnFiles);

internal sealed record SourceFileBody(string? OriginalName, long FileSize, int Chunks, long StartOffset, long EndOffset);

internal sealed record ItemsBody(IReadOnlyList<object> Items);
