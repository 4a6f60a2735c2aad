namespace FunctionsUploader.Simulators;

/// <summary>
/// A vendor's asynchronous processing after an upload is finalized, advanced by status reads rather than by the
/// clock so tests are deterministic: the first <c>polls</c> reads report it in progress, the next one its outcome.
/// </summary>
internal sealed class ProcessingCountdown(int polls, bool fails)
{
    private int _reads;

    public bool Fails { get; } = fails;

    public bool Ended => Volatile.Read(ref _reads) > polls;

    /// <summary>Counts one status read; true once processing has ended (and from then on).</summary>
    public bool Read() => Interlocked.Increment(ref _reads) > polls;
}
