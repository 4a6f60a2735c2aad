namespace FunctionsUploader.Transfer;

/// <summary>Bytes made in this process (Panopto's manifest): small by nature, so they are simply held.</summary>
public sealed class MemoryTransferSource(string name, byte[] bytes) : ITransferSource
{
    public string Name => name;

    public long Length => bytes.Length;

    public Task<Stream> OpenReadAsync(long offset, long length, CancellationToken cancellationToken = default)
    {
        SourceRange.Check(this, offset, length);
        return Task.FromResult<Stream>(new MemoryStream(bytes, (int)offset, (int)length, writable: false));
    }

    public Task<ServiceReadableSource?> GetServiceReadableSourceAsync(TimeSpan validFor, CancellationToken cancellationToken = default) =>
        Task.FromResult<ServiceReadableSource?>(null);
}
