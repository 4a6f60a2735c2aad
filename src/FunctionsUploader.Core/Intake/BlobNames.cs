namespace FunctionsUploader.Intake;

/// <summary>Which staging names are acceptable: any language, spaces included, but no path tricks.</summary>
public static class BlobNames
{
    public const int MaxLength = 1024;

    /// <summary>Null when <paramref name="name"/> is a usable blob name; otherwise what is wrong with it.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "the file name is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"the file name is {name.Length} characters long; at most {MaxLength} are allowed";
        }

        if (name.Any(char.IsControl))
        {
            return "the file name contains control characters";
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return "the file name contains '\\'; use '/' between folders";
        }

        if (name.StartsWith('/') || name.EndsWith('/'))
        {
            return "the file name starts or ends with '/'";
        }

        var segments = name.Split('/');
        if (segments.Any(s => s is "." or ".." || s.Length == 0))
        {
            return "the file name has an empty, '.' or '..' path segment (path traversal is not allowed)";
        }

        return null;
    }

    /// <summary>Files the intake never uploads: the sidecars and error reports that travel beside media files.</summary>
    public static bool IsCompanionFile(string name) =>
        name.EndsWith(UploadInstructions.SidecarSuffix, StringComparison.OrdinalIgnoreCase) ||
        name.EndsWith(ErrorReportSuffix, StringComparison.OrdinalIgnoreCase);

    public const string ErrorReportSuffix = ".error.json";
}
