namespace FunctionsUploader.Transfer;

/// <summary>A local file (the CLI): each range is its own unbuffered file handle, so parts read in parallel.</summary>
public sealed class FileTransferSource : ITransferSource
{
    private readonly string _path;

    public FileTransferSource(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
        Length = new FileInfo(_path).Length;
    }

    public string Name => _path;

    public long Length { get; }

    public Task<Stream> OpenReadAsync(long offset, long length, CancellationToken cancellationToken = default)
    {
        SourceRange.Check(this, offset, length);
        // bufferSize 0: the copy loop's own buffer is the only one.
        var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        try
        {
            if (file.Length != Length)
            {
                throw new TransferIntegrityException($"{_path} changed size since the transfer was planned ({Length} bytes, now {file.Length}).");
            }

            file.Position = offset;
            return Task.FromResult<Stream>(new PartReadStream(file, length));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public Task<ServiceReadableSource?> GetServiceReadableSourceAsync(TimeSpan validFor, CancellationToken cancellationToken = default) =>
        Task.FromResult<ServiceReadableSource?>(null);
}

/// <summary>The range check both sources make before touching the disk or the network.</summary>
internal static class SourceRange
{
    public static void Check(ITransferSource source, long offset, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (offset + length > source.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"Bytes {offset} to {offset + length} lie past the end of {source.Name} ({source.Length} bytes).");
        }
    }
}
