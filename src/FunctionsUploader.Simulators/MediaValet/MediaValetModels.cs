namespace FunctionsUploader.Simulators.MediaValet;

// Wire shapes. MediaValet's answers travel in an envelope {apiVersion, meta{warnings, errors}, recordCount, payload}.
// [Assumed] property casing is camelCase, as the check-in article's JSON is (the official sample reads case-insensitively);
// meta.errors entries are {code, message}, recordCount is {totalRecordsFound}; calls answer 200 (DELETE 204, check-in 202).
internal static class MediaValetJson
{
    public const string ApiVersion = "1.0";

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static IResult Payload(object? payload, int status = StatusCodes.Status200OK) =>
        Results.Json(new Envelope(ApiVersion, new Meta([], []), payload is null ? null : new RecordCount(1), payload), Options, statusCode: status);

    public static IResult Error(int status, string message) =>
        Results.Json(new Envelope(ApiVersion, new Meta([], [new ErrorEntry(((System.Net.HttpStatusCode)status).ToString(), message)]), null, null), Options, statusCode: status);

    public static IResult NotFound(string id) => Error(StatusCodes.Status404NotFound, $"No upload or asset {id} in this library.");

    private sealed record Envelope(string ApiVersion, Meta Meta, RecordCount? RecordCount, object? Payload);

    private sealed record Meta(IReadOnlyList<string> Warnings, IReadOnlyList<ErrorEntry> Errors);

    private sealed record ErrorEntry(string Code, string Message);

    private sealed record RecordCount(int TotalRecordsFound);
}

internal sealed record CreateUploadRequest(string? Filename);

internal sealed record UploadAccess(Guid Id, string UploadUrl, string UploadFilename);

internal sealed record UpdateUploadRequest(string? Filename, string? Title, string? Description, long? FileSizeInBytes);

/// <summary>[Assumed] MediaValet's attribute body is not public: the simulator takes {"attributes": {"name": "value", ...}}.</summary>
internal sealed record AttributesRequest(Dictionary<string, JsonElement>? Attributes);

internal sealed record CheckInValidationRequest(string? FileName);

internal sealed record CheckInUploadAccess(string UploadUrl, string UploadFileName, Guid MediaFileId);

internal sealed record CheckInRequest(
    string? Id,
    string? UploadUrl,
    string? UploadFileName,
    string? MediaFileId,
    int? Status,
    string? Comment,
    long? FileSizeInBytes,
    string? FileName);

internal sealed record CheckOutResponse(Guid Id, string? Comment, string DownloadUrl);

internal sealed record AssetRecord(
    Guid Id,
    string Filename,
    string? Title,
    string? Description,
    long? FileSizeInBytes,
    int Status,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Keywords,
    IReadOnlyDictionary<string, string> Attributes,
    bool CheckedOut,
    IReadOnlyList<VersionRecord> Versions);

internal sealed record VersionRecord(int Version, string FileName, string? Comment, DateTimeOffset CreatedAt);
