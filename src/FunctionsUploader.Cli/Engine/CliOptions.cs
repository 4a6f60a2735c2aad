namespace FunctionsUploader.Cli.Engine;

/// <summary>The CLI's own settings (Uploader:Cli): where it keeps its state and how its Durable Task engine is tuned.</summary>
internal sealed class CliOptions
{
    public const string Section = "Uploader:Cli";

    /// <summary>The CLI's folder: the local state account's data, the job store. Default ~/.functionsuploader.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>
    /// A storage account connection string for the engine's state (queues, tables, blobs); empty means a local Azurite
    /// that the CLI starts over StateDirectory.
    /// </summary>
    public string? StateStorage { get; set; }

    /// <summary>The task hub's name in that account (letters and digits, 3 to 45 characters).</summary>
    public string TaskHub { get; set; } = "uploader";

    /// <summary>
    /// How long a work item stays hidden from other workers before it is handed out again: after a kill, `resume`
    /// continues in about this long. Running work renews it, so it does not bound how long an activity may take.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public static string DefaultStateDirectory() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".functionsuploader");

    /// <summary>What makes these settings unusable, each naming its setting.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (TaskHub.Length is < 3 or > 45 || !char.IsAsciiLetter(TaskHub[0]) || !TaskHub.All(char.IsAsciiLetterOrDigit))
        {
            problems.Add($"{Section}:TaskHub must be 3 to 45 letters and digits, starting with a letter (it is '{TaskHub}').");
        }

        // The engine looks every 5 s whether a running activity's hold needs renewing: a shorter hold could lapse.
        if (VisibilityTimeout < TimeSpan.FromSeconds(10))
        {
            problems.Add($"{Section}:VisibilityTimeout must be at least 10 seconds (it is {VisibilityTimeout}).");
        }

        return problems;
    }
}
