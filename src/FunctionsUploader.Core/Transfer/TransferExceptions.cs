namespace FunctionsUploader.Transfer;

/// <summary>The file cannot go to this target as asked (too large, empty, wrong part count): not worth retrying.</summary>
public sealed class TransferRefusedException : Exception
{
    public TransferRefusedException()
        : this("The transfer was refused.")
    {
    }

    public TransferRefusedException(string message)
        : base(message)
    {
    }

    public TransferRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The bytes at the service are not the bytes we sent (checksum, size or offset disagree): an error, never a warning.</summary>
public sealed class TransferIntegrityException : Exception
{
    public TransferIntegrityException()
        : this("The transferred bytes do not match.")
    {
    }

    public TransferIntegrityException(string message)
        : base(message)
    {
    }

    public TransferIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TransferIntegrityException(string message, int? partNumber)
        : base(message)
    {
        PartNumber = partNumber;
    }

    public int? PartNumber { get; }
}

/// <summary>A part that still failed after the engine's quick retries: which part, how often, and why.</summary>
public sealed class PartTransferException : Exception
{
    public PartTransferException()
        : this("A part failed.")
    {
    }

    public PartTransferException(string message)
        : base(message)
    {
    }

    public PartTransferException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PartTransferException(Part part, string target, int attempts, bool isTransient, Exception cause)
        : base($"{Capitalized(part.ToString())} to {target} failed after {attempts} attempt{(attempts == 1 ? "" : "s")}: {cause?.Message}", cause)
    {
        PartNumber = part.Number;
        Attempts = attempts;
        IsTransient = isTransient;
    }

    public int PartNumber { get; }

    public int Attempts { get; }

    /// <summary>True when a later retry (the orchestration's) may succeed: throttling, server errors, a dropped connection.</summary>
    public bool IsTransient { get; }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
