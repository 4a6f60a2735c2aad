namespace FunctionsUploader.Simulators;

/// <summary>
/// A vendor's asynchronous processing after an upload is finalized, advanced by status reads rather than by the
/// clock so tests are deterministic: the first <c>polls</c> reads report it in progress, the next one its outcome.
/// </summary>
internal sealed class ProcessingCountdown(int polls, bool fails)
{
    private int _reads;

    public bool Fails { get; } = fails;

    /// <summary>The processing a finalize request starts, as the tenant's settings and the request's fault rules shape it.</summary>
    public static ProcessingCountdown For(Inspection.SimulatedRequest request) => new(request.ProcessingPolls, request.FailProcessing);

    public bool Ended => polls != int.MaxValue && Volatile.Read(ref _reads) > polls;

    /// <summary>Counts one status read; true once processing has ended (and from then on).</summary>
    public bool Read() => polls != int.MaxValue && Interlocked.Increment(ref _reads) > polls;
}
