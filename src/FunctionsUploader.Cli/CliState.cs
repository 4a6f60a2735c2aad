using System.Text.Json;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Cli;

/// <summary>
/// The CLI's own folder (default ~/.functionsuploader, or Uploader:Cli:StateDirectory): journals for resume, the
/// job store for vendor sessions, and the last status of each job for `uploader status`.
/// </summary>
internal sealed class CliState(string root)
{
    public string Root { get; } = Directory.CreateDirectory(root).FullName;

    public string Journals => Directory.CreateDirectory(Path.Combine(Root, "journals")).FullName;

    public string JobStore => Directory.CreateDirectory(Path.Combine(Root, "jobs")).FullName;

    private string Statuses => Directory.CreateDirectory(Path.Combine(Root, "status")).FullName;

    public static string DefaultRoot() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".functionsuploader");

    public void SaveStatus(string jobId, JobRecord record) =>
        WriteAtomically(Path.Combine(Statuses, FileName(jobId)), JsonSerializer.SerializeToUtf8Bytes(record, WorkflowJson.Options));

    public JobRecord? LoadStatus(string jobId)
    {
        var path = Path.Combine(Statuses, FileName(jobId));
        return File.Exists(path) ? JsonSerializer.Deserialize<JobRecord>(File.ReadAllBytes(path), WorkflowJson.Options) : null;
    }

    public IEnumerable<JobRecord> AllStatuses() =>
        Directory.EnumerateFiles(Statuses, "*.json")
            .Select(p => JsonSerializer.Deserialize<JobRecord>(File.ReadAllBytes(p), WorkflowJson.Options)!)
            .OrderBy(r => r.UpdatedAt);

    private static string FileName(string jobId) =>
        string.Concat(jobId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_')) + ".json";

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>What `uploader status` and `uploader jobs` show of a job.</summary>
internal sealed record JobRecord(string JobId, string Vendor, string Source, UploadStatus Status, UploadResult? Result, DateTimeOffset UpdatedAt);
