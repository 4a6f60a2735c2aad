using System.Text.Json;

namespace FunctionsUploader.Workflow.InProcess;

/// <summary>
/// Re-runs an orchestration over its recorded history and fails on any difference: a call with another name or
/// input at the same position, a call the history does not have, a recorded call the workflow no longer makes,
/// or another result. This is the determinism check that Durable Functions users otherwise meet in production.
/// </summary>
public static class ReplayChecker
{
    /// <summary>Verifies one finished instance's history.</summary>
    public static async Task VerifyAsync(Journal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var started = journal.FindKind(JournalEntry.Started)
            ?? throw new NonDeterministicWorkflowException("The history has no start entry.");
        var (inputType, _, run) = Orchestrations.All[started.Name];
        var input = JsonSerializer.Deserialize(started.Input!, inputType, Journal.Json)!;
        var context = new JournaledContext("replay", journal, runner: null, TimeProvider.System, loggers: null);

        object? result = null;
        Exception? thrown = null;
        try
        {
            result = await context.RunAsync(run, input);
        }
        catch (Exception e) when (e is not NonDeterministicWorkflowException)
        {
            thrown = e;
        }

        var completed = journal.FindKind(JournalEntry.Completed);
        if (completed?.ErrorType is not null || thrown is not null)
        {
            var replayed = thrown is null ? "success" : $"{thrown.GetType().FullName}: {thrown.Message}";
            var recorded = completed?.ErrorType is null ? "success" : $"{completed.ErrorType}: {completed.ErrorMessage}";
            if (replayed != recorded)
            {
                throw new NonDeterministicWorkflowException($"Replay ended in {replayed}, but the history recorded {recorded}.");
            }
        }

        var calls = journal.Entries.Count(e => e.Kind is not (JournalEntry.Started or JournalEntry.Completed));
        if (calls != context.CallsMade)
        {
            throw new NonDeterministicWorkflowException($"The history has {calls} calls, but the workflow made {context.CallsMade} on replay.");
        }

        if (thrown is not null)
        {
            return;
        }

        var resultJson = JsonSerializer.Serialize(result, Journal.Json);
        if (completed is not null && completed.Result != resultJson)
        {
            throw new NonDeterministicWorkflowException($"Replay returned {resultJson}, but the history recorded {completed.Result}.");
        }
    }

    /// <summary>Verifies every journal in a folder (a job and its transfer slices).</summary>
    public static async Task<int> VerifyDirectoryAsync(string directory)
    {
        var count = 0;
        foreach (var path in Directory.EnumerateFiles(directory, "*.jsonl"))
        {
            await VerifyAsync(Journal.Open(path));
            count++;
        }

        return count;
    }
}
