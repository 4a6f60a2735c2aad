using System.Text.Json;

namespace FunctionsUploader.Intake;

/// <summary>
/// What a user asks for one file: in the optional sidecar &lt;name&gt;.upload.json written beside the file before
/// it (overriding the route's defaults and the blob's metadata), or in the body of an HTTP start (which also
/// names the source). Unknown fields are an error, never ignored: a misspelled field would be lost without a word.
/// </summary>
public sealed record UploadInstructions
{
    public const string SidecarSuffix = ".upload.json";

    /// <summary>At most this many bytes are read: a sidecar is a few lines of settings, not a file.</summary>
    public const int MaxBytes = 64 * 1024;

    public static readonly IReadOnlyList<string> SidecarFields = ["vendors", "title", "description", "recordedAt", "categories", "metadata", "status", "folder", "newVersionOf", "jobId", "callbackUrl"];

    public static readonly IReadOnlyList<string> RequestFields = ["source", .. SidecarFields];

    /// <summary>The staging blob's name (requests only).</summary>
    public string? Source { get; init; }

    public IReadOnlyList<string>? Vendors { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    public DateTimeOffset? RecordedAt { get; init; }

    public IReadOnlyList<string>? Categories { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public string? Status { get; init; }

    public string? Folder { get; init; }

    /// <summary>An existing asset this file becomes a new version of (MediaValet check-out / check-in).</summary>
    public string? NewVersionOf { get; init; }

    public string? JobId { get; init; }

    /// <summary>Where to POST the job's result when it ends, signed (see CallbackSender).</summary>
    public string? CallbackUrl { get; init; }

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Parses a sidecar; <paramref name="name"/> is its blob name, for the messages.</summary>
    public static UploadInstructions ParseSidecar(string name, ReadOnlySpan<byte> json) => Parse(name, json, SidecarFields);

    /// <summary>Parses the JSON body of an HTTP start request.</summary>
    public static UploadInstructions ParseRequest(ReadOnlySpan<byte> json) => Parse("request", json, RequestFields);

    private static UploadInstructions Parse(string name, ReadOnlySpan<byte> json, IReadOnlyList<string> allowed)
    {
        var problems = new List<string>();
        if (json.StartsWith(Utf8ByteOrderMark))
        {
            json = json[Utf8ByteOrderMark.Length..]; // Notepad and PowerShell 5 save UTF-8 with one.
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new IntakeException(name, [$"is not valid JSON ({e.Message.Split(" Path:", 2)[0].TrimEnd('.')})"]);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new IntakeException(name, [$"must be a JSON object, not {Kind(document.RootElement)}"]);
            }

            var sidecar = new UploadInstructions();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                if (!allowed.Contains(property.Name))
                {
                    problems.Add($"unknown field '{property.Name}' (allowed: {string.Join(", ", allowed)})");
                    continue;
                }

                if (!seen.Add(property.Name))
                {
                    problems.Add($"field '{property.Name}' appears more than once");
                    continue;
                }

                sidecar = property.Name switch
                {
                    "source" => sidecar with { Source = Text(property.Name, value, 1024, problems) },
                    "vendors" => sidecar with { Vendors = Strings(property.Name, value, problems) },
                    "title" => sidecar with { Title = Text(property.Name, value, 500, problems) },
                    "description" => sidecar with { Description = Text(property.Name, value, 5000, problems) },
                    "recordedAt" => sidecar with { RecordedAt = Date(property.Name, value, problems) },
                    "categories" => sidecar with { Categories = Strings(property.Name, value, problems) },
                    "metadata" => sidecar with { Metadata = Map(property.Name, value, problems) },
                    "status" => sidecar with { Status = Text(property.Name, value, 100, problems) },
                    "folder" => sidecar with { Folder = Text(property.Name, value, 200, problems) },
                    "newVersionOf" => sidecar with { NewVersionOf = Text(property.Name, value, 200, problems) },
                    "jobId" => sidecar with { JobId = Text(property.Name, value, 100, problems) },
                    "callbackUrl" => sidecar with { CallbackUrl = CallbackUrlProblem(Text(property.Name, value, 2000, problems), problems) },
                    _ => sidecar,
                };
            }

            if (problems.Count > 0)
            {
                throw new IntakeException(name, problems);
            }

            return sidecar;
        }
    }

    /// <summary>
    /// A callback URL is kept in the job's orchestration input, so it may carry no secret: an absolute http(s) URL
    /// without user info or query. Receivers check the signature instead.
    /// </summary>
    public static string? CallbackUrlProblem(string? url) =>
        url is null ? null
        : !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            ? $"field 'callbackUrl' must be an absolute http or https URL, not '{url}'"
        : uri.UserInfo.Length > 0 || uri.Query.Length > 0
            ? "field 'callbackUrl' must not carry user info or a query string (it is stored with the job; callbacks are signed instead)"
        : null;

    private static string? CallbackUrlProblem(string? url, List<string> problems)
    {
        if (CallbackUrlProblem(url) is { } problem)
        {
            problems.Add(problem);
        }

        return url;
    }

    private static string? Text(string field, JsonElement value, int maxLength, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"field '{field}' must be a string, not {Kind(value)}");
            return null;
        }

        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            problems.Add($"field '{field}' is {text.Length} characters long; at most {maxLength} are allowed");
        }

        return text;
    }

    private static IReadOnlyList<string>? Strings(string field, JsonElement value, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            problems.Add($"field '{field}' must be an array of strings");
            return null;
        }

        return value.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private static IReadOnlyDictionary<string, string>? Map(string field, JsonElement value, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
        {
            problems.Add($"field '{field}' must be an object whose values are strings");
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (!map.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                problems.Add($"field '{field}' has the key '{entry.Name}' more than once");
            }
        }

        return map;
    }

    private static DateTimeOffset? Date(string field, JsonElement value, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return date;
        }

        problems.Add($"field '{field}' must be a date such as \"2026-11-21T10:00:00Z\"");
        return null;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => "a string",
    };
}
