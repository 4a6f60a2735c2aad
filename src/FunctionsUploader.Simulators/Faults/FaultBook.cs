namespace FunctionsUploader.Simulators.Faults;

/// <summary>One tenant's fault rules and how often each has matched and fired.</summary>
internal sealed class FaultBook
{
    private readonly List<ArmedFault> _faults = [];
    private int _nextId;

    /// <summary>Starts with copies of the start-up rules, so every tenant counts its own requests.</summary>
    public FaultBook(IEnumerable<FaultRule> startupRules)
    {
        foreach (var rule in startupRules)
        {
            Add(rule);
        }
    }

    public FaultStatus Add(FaultRule rule)
    {
        lock (_faults)
        {
            var armed = new ArmedFault($"f{++_nextId}", rule.Copy());
            _faults.Add(armed);
            return armed.Status();
        }
    }

    public IReadOnlyList<FaultStatus> List()
    {
        lock (_faults)
        {
            return [.. _faults.Select(f => f.Status())];
        }
    }

    public void Clear()
    {
        lock (_faults)
        {
            _faults.Clear();
        }
    }

    /// <summary>Counts the request against every rule it matches; returns the rules that fire on it, in the order they were added.</summary>
    public IReadOnlyList<FaultRule> Fire(SimulatedOperation operation, RouteValueDictionary routeValues)
    {
        lock (_faults)
        {
            var fired = new List<FaultRule>();
            foreach (var fault in _faults.Where(f => f.Rule.Matches(operation, routeValues)))
            {
                fault.Matched++;
                var rule = fault.Rule;
                if (fault.Matched >= rule.Nth && (rule.Times == 0 || fault.Matched < rule.Nth + rule.Times))
                {
                    fault.Fired++;
                    fired.Add(rule);
                }
            }

            return fired;
        }
    }

    private sealed class ArmedFault(string id, FaultRule rule)
    {
        public string Id { get; } = id;

        public FaultRule Rule { get; } = rule;

        public int Matched { get; set; }

        public int Fired { get; set; }

        public FaultStatus Status() => new(Id, Rule.Copy(), Matched, Fired);
    }
}

/// <summary>A rule as the admin endpoint reports it: with how many requests it has matched and fired on.</summary>
public sealed record FaultStatus(string Id, FaultRule Rule, int Matched, int Fired);
