namespace FunctionsUploader.Simulators.Emulators;

/// <summary>The storage emulators cannot be installed or found: a missing prerequisite (Node.js, npm, the pinned files), not a bug.</summary>
public sealed class EmulatorsUnavailableException : InvalidOperationException
{
    public EmulatorsUnavailableException()
    {
    }

    public EmulatorsUnavailableException(string message)
        : base(message)
    {
    }

    public EmulatorsUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
