namespace FunctionsUploader.Tests.Fixtures;

/// <summary>A service provider with nothing in it, for runners whose activities need no services.</summary>
public sealed class EmptyServices : IServiceProvider
{
    public object? GetService(Type serviceType) => null;
}
