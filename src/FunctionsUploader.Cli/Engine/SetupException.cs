namespace FunctionsUploader.Cli.Engine;

/// <summary>Something the CLI needs and does not have (a free state folder, a usable state account): one line for the user, exit 2.</summary>
internal sealed class SetupException : Exception
{
    public SetupException()
    {
    }

    public SetupException(string message)
        : base(message)
    {
    }

    public SetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
