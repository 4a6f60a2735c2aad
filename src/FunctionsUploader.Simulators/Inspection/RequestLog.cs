namespace FunctionsUploader.Simulators.Inspection;

/// <summary>
/// One request as a tenant's log keeps it: method and path (never the query string, which may carry a token or a
/// signature), the status answered (0 when the connection was dropped) and any fault that fired.
/// </summary>
public sealed record RequestRecord(
    DateTimeOffset At,
    SimulatedVendor Vendor,
    string Operation,
    string Method,
    string Path,
    int Status,
    string? ResourceId,
    string? Fault);

/// <summary>The last requests of one tenant, oldest first.</summary>
internal sealed class RequestLog
{
    private const int Capacity = 10_000;
    private readonly Queue<RequestRecord> _records = new();

    public void Add(RequestRecord record)
    {
        lock (_records)
        {
            _records.Enqueue(record);
            if (_records.Count > Capacity)
            {
                _records.Dequeue();
            }
        }
    }

    /// <summary>All records, or those about any of <paramref name="resourceIds"/>.</summary>
    public IReadOnlyList<RequestRecord> Snapshot(params string[] resourceIds)
    {
        lock (_records)
        {
            return [.. _records.Where(r => resourceIds.Length == 0 || resourceIds.Contains(r.ResourceId, StringComparer.OrdinalIgnoreCase))];
        }
    }
}
