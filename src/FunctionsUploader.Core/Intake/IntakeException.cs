namespace FunctionsUploader.Intake;

/// <summary>
/// Bad input, found before anything starts: which file, which field, what was expected. One exception carries
/// every problem found, so a user fixes them in one go.
/// </summary>
public sealed class IntakeException : Exception
{
    public IntakeException()
        : this(string.Empty, [])
    {
    }

    public IntakeException(string message)
        : this(string.Empty, [message])
    {
    }

    public IntakeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Subject = string.Empty;
        Problems = [message];
    }

    public IntakeException(string subject, IReadOnlyList<string> problems)
        : base(Describe(subject, problems))
    {
        Subject = subject;
        Problems = problems;
    }

    /// <summary>The file (or request) the problems are about.</summary>
    public string Subject { get; }

    public IReadOnlyList<string> Problems { get; }

    private static string Describe(string subject, IReadOnlyList<string> problems)
    {
        var prefix = subject.Length == 0 ? string.Empty : subject + ": ";
        return problems.Count == 1 ? prefix + problems[0] : prefix + string.Join("; ", problems);
    }
}
