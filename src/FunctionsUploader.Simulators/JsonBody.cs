namespace FunctionsUploader.Simulators;

/// <summary>Reads a request's JSON body so that a malformed one becomes a clear 400 in the vendor's words, not an exception.</summary>
internal static class JsonBody
{
    /// <summary>The body as <typeparamref name="T"/>, or why it is not one.</summary>
    public static async Task<(T? Value, string? Error)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, "The body must be JSON (Content-Type: application/json).");
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
            return value is null ? (null, "The body is empty.") : (value, null);
        }
        catch (JsonException e)
        {
            return (null, $"The body is not the JSON this call takes: {e.Message}");
        }
    }

    /// <summary>True when a file name has no directory part and is not blank.</summary>
    public static bool IsPlainFileName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.IndexOfAny(['/', '\\']) < 0 && name is not ("." or "..");
}
