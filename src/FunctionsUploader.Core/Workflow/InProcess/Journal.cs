using System.Text.Json;

namespace FunctionsUploader.Workflow.InProcess;

/// <summary>One completed call of an orchestration: what was asked (name, input) and what came back.</summary>
public sealed record JournalEntry(
    int Sequence,
    string Kind,
    string Name,
    string? Input,
    string? Result,
    string? ErrorType,
    string? ErrorMessage,
    DateTime Time)
{
    public const string Started = "started";
    public const string Activity = "activity";
    public const string Timer = "timer";
    public const string SubOrchestration = "suborchestration";
    public const string Completed = "completed";
}

/// <summary>
/// The history of one orchestration instance as JSON lines, appended and flushed after every completed call, so
/// a process killed at any point resumes from what finished. Also the history the replay checker replays.
/// </summary>
public sealed class Journal
{
    internal static JsonSerializerOptions Json => WorkflowJson.Options;

    private readonly object _gate = new();
    private readonly List<JournalEntry> _entries;
    private readonly string? _path;

    private Journal(string? path, List<JournalEntry> entries)
    {
        _path = path;
        _entries = entries;
    }

    public IReadOnlyList<JournalEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>The journal kept in memory only (tests, replay).</summary>
    public static Journal InMemory(IEnumerable<JournalEntry>? entries = null) => new(null, [.. entries ?? []]);

    /// <summary>Opens (or starts) the journal file at <paramref name="path"/>. A torn last line, from a kill mid-write, is dropped.</summary>
    public static Journal Open(string path)
    {
        var entries = new List<JournalEntry>();
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                try
                {
                    entries.Add(JsonSerializer.Deserialize<JournalEntry>(line, Json)!);
                }
                catch (JsonException)
                {
                    break;
                }
            }
        }

        return new Journal(path, entries);
    }

    public JournalEntry? Find(string kind, int sequence)
    {
        lock (_gate)
        {
            return _entries.FirstOrDefault(e => e.Sequence == sequence && e.Kind != JournalEntry.Started && e.Kind != JournalEntry.Completed && (kind.Length == 0 || e.Kind == kind));
        }
    }

    public JournalEntry? FindKind(string kind)
    {
        lock (_gate)
        {
            return _entries.FirstOrDefault(e => e.Kind == kind);
        }
    }

    public void Append(JournalEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
            if (_path is null)
            {
                return;
            }

            using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n"));
            stream.Flush(flushToDisk: true);
        }
    }
}
