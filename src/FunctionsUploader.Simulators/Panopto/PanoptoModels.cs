using System.Text.Json.Serialization;

namespace FunctionsUploader.Simulators.Panopto;

// Wire shapes of Panopto's REST API (Panopto/SessionUploadExample REST/*.cs): PascalCase, the SessionUpload object
// {ID, FolderId, SessionId, UploadTarget, State, Priorty (sic), MessageID, Message}.
// [Assumed] errors are {"Message": "..."} and Priorty is 0.
internal static class PanoptoJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = null };

    public static IResult Ok(object value, int status = StatusCodes.Status200OK) => Results.Json(value, Options, statusCode: status);

    public static IResult Error(int status, string message) => Results.Json(new ErrorBody(message), Options, statusCode: status);

    public static IResult NotFound(string id) => Error(StatusCodes.Status404NotFound, $"No session upload {id}.");

    private sealed record ErrorBody(string Message);
}

/// <summary>Panopto's UploadStatus.</summary>
internal enum PanoptoState
{
    Uploading = 0,
    UploadComplete = 1,
    UploadCancelled = 2,
    Processing = 3,
    Complete = 4,
    ProcessingError = 5,
    DeletingFiles = 6,
    Deleted = 7,
    DeletingError = 8,
}

internal sealed record SessionUploadBody(
    [property: JsonPropertyName("ID")] Guid Id,
    Guid FolderId,
    Guid? SessionId,
    string UploadTarget,
    int State,
    int Priorty,
    [property: JsonPropertyName("MessageID")] int MessageId,
    string? Message);

/// <summary>POST sessionUpload {"FolderId"}, and PUT sessionUpload/{id} with the whole object and "State": 1 (read case-insensitively).</summary>
internal sealed record SessionUploadRequest(
    [property: JsonPropertyName("ID")] Guid? Id,
    Guid? FolderId,
    string? UploadTarget,
    int? State);
