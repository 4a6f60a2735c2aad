using Microsoft.DurableTask.Client;

namespace FunctionsUploader.Intake;

/// <summary>The filters and paging of a job list request, read from query parameters, each refused with a reason that names it.</summary>
public sealed record JobListQuery(IReadOnlyList<OrchestrationRuntimeStatus>? Statuses, string? Vendor, DateTimeOffset? CreatedSince, int PageSize, string? ContinuationToken)
{
    public const int MaxPageSize = 200;

    public const string Usage = "Query parameters: runtimeStatus (comma-separated), vendor, createdSince (ISO 8601), pageSize (1-200), continuationToken.";

    private static readonly string[] Known = ["runtimeStatus", "vendor", "createdSince", "pageSize", "continuationToken"];

    /// <summary>What made the query unusable, if anything.</summary>
    public string? Problem { get; init; }

    /// <summary>The query; null when it names a parameter this list does not know.</summary>
    /// <param name="label">How a problem names a parameter to the caller (the CLI names its options); the parameter's own name by default.</param>
    public static JobListQuery? Parse(IReadOnlyDictionary<string, string> parameters, Func<string, string>? label = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        label ??= name => name;
        if (parameters.Keys.Any(k => !Known.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            return null;
        }

        string? Get(string name) => parameters.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } v ? v : null;

        var query = new JobListQuery(null, Get("vendor"), null, 50, Get("continuationToken"));
        if (Get("runtimeStatus") is { } statuses)
        {
            var parsed = new List<OrchestrationRuntimeStatus>();
            foreach (var status in statuses.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Enum.TryParse<OrchestrationRuntimeStatus>(status, ignoreCase: true, out var value) || int.TryParse(status, out _))
                {
                    return query with { Problem = $"{label("runtimeStatus")}: '{status}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}." };
                }

                parsed.Add(value);
            }

            query = query with { Statuses = parsed };
        }

        if (Get("createdSince") is { } since)
        {
            if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var from))
            {
                return query with { Problem = $"{label("createdSince")}: '{since}' is not a date and time (ISO 8601, e.g. 2026-12-01T08:00:00Z)." };
            }

            query = query with { CreatedSince = from };
        }

        if (Get("pageSize") is { } size)
        {
            if (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var pageSize) || pageSize is < 1 or > MaxPageSize)
            {
                return query with { Problem = $"{label("pageSize")}: '{size}' is not a whole number from 1 to {MaxPageSize}." };
            }

            query = query with { PageSize = pageSize };
        }

        return query;
    }

    /// <summary>Whether a job with this runtime status, vendor and creation time passes the filters (paging aside).</summary>
    public bool Matches(OrchestrationRuntimeStatus status, string? vendor, DateTimeOffset createdAt) =>
        (Statuses is null || Statuses.Contains(status))
        && (Vendor is null || string.Equals(Vendor, vendor, StringComparison.OrdinalIgnoreCase))
        && (CreatedSince is null || createdAt >= CreatedSince);
}
