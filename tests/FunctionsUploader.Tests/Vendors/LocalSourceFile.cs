using FunctionsUploader.Transfer;

namespace FunctionsUploader.Tests.Vendors;

/// <summary>Bytes in a temporary local file, read as the CLI reads its source; deleted on dispose.</summary>
internal sealed class LocalSourceFile : IDisposable
{
    private LocalSourceFile(string path)
    {
        Path = path;
        Source = new FileTransferSource(path);
    }

    public string Path { get; }

    public FileTransferSource Source { get; }

    public static LocalSourceFile Write(byte[] data)
    {
        var path = System.IO.Path.GetTempFileName();
        File.WriteAllBytes(path, data);
        return new LocalSourceFile(path);
    }

    public void Dispose() => File.Delete(Path);
}
