using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FunctionsUploader.Workflow;

/// <summary>
/// Job ids double as orchestration instance ids. A blob's job id is a stable hash of its container, name and
/// ETag plus the vendor, so a repeated event for the same blob version finds the same job, and a new version
/// (new ETag) is a new job.
/// </summary>
public static partial class JobIds
{
    public const int MaxLength = 100;

    public static string ForBlob(string container, string blobName, string etag, string vendor)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{container}\n{blobName}\n{etag.Trim('"')}"));
        return $"{Convert.ToHexStringLower(hash)[..32]}-{vendor.ToLowerInvariant()}";
    }

    /// <summary>A local file's job id: path, size and modification time stand in for the ETag.</summary>
    public static string ForLocalFile(string fullPath, long length, DateTime lastWriteUtc, string vendor) =>
        ForBlob("file", fullPath, $"{length}:{lastWriteUtc.Ticks}", vendor);

    /// <summary>Null when <paramref name="jobId"/> is a usable instance id; otherwise what is wrong with it.</summary>
    public static string? Validate(string jobId) =>
        string.IsNullOrEmpty(jobId) ? "the job id is empty"
        : jobId.Length > MaxLength ? $"the job id is {jobId.Length} characters long; at most {MaxLength} are allowed"
        : !Allowed().IsMatch(jobId) ? "the job id may hold only letters, digits, '.', '_', ':' and '-'"
        : null;

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex Allowed();
}
