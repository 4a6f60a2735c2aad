using System.Text.Json;

namespace FunctionsUploader.Transfer;

/// <summary>What a phased chunk server (Prepr) says in its JSON: the bytes it holds, or an error it sent with a 200.</summary>
internal static class PhasedChunkReply
{
    /// <summary>
    /// A success answer's JSON (default when it is none); an error inside it (Prepr documents that a 200 may carry
    /// one) throws as its status would have.
    /// </summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string operation, string resource, CancellationToken cancellationToken)
    {
        JsonElement reply;
        try
        {
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            reply = json.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }

        return ErrorIn(reply) is { } error
            ? throw new TransferHttpException(error.Status, null, $"{operation} failed for {resource}: answered {(int)response.StatusCode} with an error inside: {error.Message}")
            : reply;
    }

    /// <summary>
    /// source_file.end_offset (or end_offset at the top): the end of the last chunk received, which reaches file_size
    /// once every byte is in. [Assumed] from one finished asset (vpro/prepr); null when the reply names none.
    /// </summary>
    public static long? EndOffset(JsonElement reply)
    {
        var holder = reply.ValueKind == JsonValueKind.Object && reply.TryGetProperty("source_file", out var file) && file.ValueKind == JsonValueKind.Object ? file : reply;
        return holder.ValueKind == JsonValueKind.Object && holder.TryGetProperty("end_offset", out var value) ? Number(value) : null;
    }

    /// <summary>
    /// Prepr: "a 200 may still carry an error". Its shape is not published, so any of {"error": ...}, {"errors": [...]}
    /// or a numeric "status" of 400 or more counts; an asset's own "status" is a word or null and never matches.
    /// </summary>
    public static (int Status, string Message)? ErrorIn(JsonElement reply)
    {
        if (reply.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var status = reply.TryGetProperty("status", out var s) && Number(s) is { } code ? (int)code : 0;
        var error = reply.TryGetProperty("error", out var e) && e.ValueKind is not (JsonValueKind.Null or JsonValueKind.False) ? e
            : reply.TryGetProperty("errors", out var many) && many.ValueKind == JsonValueKind.Array && many.GetArrayLength() > 0 ? many
            : default;
        if (status < 400 && error.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        var message = reply.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()
            : error.ValueKind == JsonValueKind.String ? error.GetString()
            : error.ValueKind == JsonValueKind.Undefined ? null
            : error.GetRawText();
        // Without a status of its own the error is a refusal of what was sent: as a 400 would be.
        return (status >= 400 ? status : 400, message ?? "no message");
    }

    private static long? Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number
        : value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;
}
