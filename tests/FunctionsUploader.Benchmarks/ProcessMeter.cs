using System.Diagnostics.Tracing;

namespace FunctionsUploader.Benchmarks;

/// <summary>
/// What this process moved and held: peak resident memory (VmHWM), bytes through files (rchar + wchar), and bytes
/// through sockets (the runtime's System.Net.Sockets counters: .NET sockets use send/recv, which rchar does not count).
/// </summary>
internal sealed class ProcessMeter : EventListener
{
    private static readonly TimeSpan CounterInterval = TimeSpan.FromMilliseconds(100);
    private long _socketBytesReceived;
    private long _socketBytesSent;
    private int _ticks;

    public static long PeakResidentBytes() => Field("/proc/self/status", "VmHWM:") * 1024;

    public static long FileBytes() => Field("/proc/self/io", "rchar:") + Field("/proc/self/io", "wchar:");

    /// <summary>
    /// The CPU seconds of the runtime's tiered compilation worker, the thread that recompiles hot methods in the
    /// background (/proc/self/task/*/stat, utime + stime in clock ticks of 1/100 s). JitInfo's compilation time is
    /// wall-clock, so on a busy machine it counts the time that thread waited for a core too; this does not. The
    /// worker ends when idle for a while (and a new one starts): the children keep it alive for the whole run
    /// (DOTNET_TC_BackgroundWorkerTimeoutMs), so that its CPU is not lost with it.
    /// </summary>
    public static double TieringCpuSeconds()
    {
        double ticks = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal))
                {
                    // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return ticks / 100;
    }

    /// <summary>Every byte sent or received through a socket so far, as of a counter tick after this call.</summary>
    public async Task<long> SocketBytesAsync()
    {
        for (var start = Volatile.Read(ref _ticks); Volatile.Read(ref _ticks) < start + 2;)
        {
            await Task.Delay(CounterInterval / 2);
        }

        return Interlocked.Read(ref _socketBytesReceived) + Interlocked.Read(ref _socketBytesSent);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "System.Net.Sockets")
        {
            EnableEvents(eventSource, EventLevel.LogAlways, EventKeywords.All, new Dictionary<string, string?>
            {
                ["EventCounterIntervalSec"] = CounterInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            });
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName != "EventCounters" || eventData.Payload is not [IDictionary<string, object> counter])
        {
            return;
        }

        // Polling counters report the running total as their Mean.
        var total = Convert.ToInt64(counter["Mean"], CultureInfo.InvariantCulture);
        switch (counter["Name"] as string)
        {
            case "bytes-received":
                Interlocked.Exchange(ref _socketBytesReceived, total);
                break;
            case "bytes-sent":
                Interlocked.Exchange(ref _socketBytesSent, total);
                Interlocked.Increment(ref _ticks);
                break;
        }
    }

    private static long Field(string file, string name) =>
        File.ReadLines(file)
            .Where(line => line.StartsWith(name, StringComparison.Ordinal))
            .Select(line => long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
            .FirstOrDefault();
}
