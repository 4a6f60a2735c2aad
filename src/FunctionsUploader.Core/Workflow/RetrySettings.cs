using Microsoft.DurableTask;

namespace FunctionsUploader.Workflow;

/// <summary>
/// The numbers of one step's orchestration-level retry (layer 2 in DESIGN.md), as settings: Durable's own
/// <see cref="RetryPolicy"/> is built from them where the orchestration calls the step. Permanent failures are
/// not retried.
/// </summary>
public sealed record RetrySettings(int MaxAttempts, TimeSpan FirstInterval, double BackoffCoefficient, TimeSpan MaxInterval)
{
    /// <summary>What makes these numbers unusable (Durable's RetryPolicy would refuse them inside the orchestration), by setting name under <paramref name="path"/>.</summary>
    public IEnumerable<string> Problems(string path)
    {
        if (MaxAttempts < 1)
        {
            yield return $"{path}:MaxAttempts must be at least 1 (it is {MaxAttempts}).";
        }

        if (FirstInterval <= TimeSpan.Zero)
        {
            yield return $"{path}:FirstInterval must be longer than zero (it is {FirstInterval}).";
        }

        if (!(BackoffCoefficient >= 1))
        {
            yield return $"{path}:BackoffCoefficient must be at least 1 (it is {BackoffCoefficient.ToString(CultureInfo.InvariantCulture)}).";
        }

        if (MaxInterval < FirstInterval)
        {
            yield return $"{path}:MaxInterval ({MaxInterval}) must not be shorter than FirstInterval ({FirstInterval}).";
        }
    }

    /// <summary>Durable's retry policy with these numbers, which gives up at once on a failure marked permanent.</summary>
    public TaskOptions ToTaskOptions() =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(MaxAttempts, FirstInterval, BackoffCoefficient, MaxInterval)
        {
            HandleFailure = failure => !TaskFailures.IsPermanent(failure),
        });
}

/// <summary>The policies of each step: fast steps retry briefly, copy batches ride out longer outages.</summary>
public sealed class WorkflowRetryOptions
{
    public RetrySettings Prepare { get; set; } = new(4, TimeSpan.FromSeconds(5), 2, TimeSpan.FromMinutes(1));

    public RetrySettings CopyBatch { get; set; } = new(6, TimeSpan.FromSeconds(10), 2, TimeSpan.FromMinutes(5));

    public RetrySettings Commit { get; set; } = new(5, TimeSpan.FromSeconds(5), 2, TimeSpan.FromMinutes(2));

    public RetrySettings Finish { get; set; } = new(5, TimeSpan.FromSeconds(5), 2, TimeSpan.FromMinutes(2));

    public RetrySettings Archive { get; set; } = new(8, TimeSpan.FromSeconds(5), 2, TimeSpan.FromMinutes(5));

    private IEnumerable<(string Name, RetrySettings Policy)> Named =>
        [(nameof(Prepare), Prepare), (nameof(CopyBatch), CopyBatch), (nameof(Commit), Commit), (nameof(Finish), Finish), (nameof(Archive), Archive)];

    /// <summary>What makes any policy unusable, by setting name under <paramref name="prefix"/>.</summary>
    public IEnumerable<string> Problems(string prefix) => Named.SelectMany(p => p.Policy.Problems($"{prefix}:{p.Name}"));

    /// <summary>The policies as settings under <paramref name="prefix"/> (e.g. "Uploader:Workflow:Retry").</summary>
    public IEnumerable<KeyValuePair<string, string?>> AsSettings(string prefix)
    {
        foreach (var (name, policy) in Named)
        {
            yield return new($"{prefix}:{name}:MaxAttempts", policy.MaxAttempts.ToString(CultureInfo.InvariantCulture));
            yield return new($"{prefix}:{name}:FirstInterval", policy.FirstInterval.ToString("c", CultureInfo.InvariantCulture));
            yield return new($"{prefix}:{name}:BackoffCoefficient", policy.BackoffCoefficient.ToString(CultureInfo.InvariantCulture));
            yield return new($"{prefix}:{name}:MaxInterval", policy.MaxInterval.ToString("c", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Every policy scaled to milliseconds: for tests and the sandbox, where waiting minutes proves nothing.</summary>
    public static WorkflowRetryOptions Fast()
    {
        static RetrySettings Quick(RetrySettings p) => p with { FirstInterval = TimeSpan.FromMilliseconds(10), MaxInterval = TimeSpan.FromMilliseconds(50) };
        var defaults = new WorkflowRetryOptions();
        return new WorkflowRetryOptions
        {
            Prepare = Quick(defaults.Prepare),
            CopyBatch = Quick(defaults.CopyBatch),
            Commit = Quick(defaults.Commit),
            Finish = Quick(defaults.Finish),
            Archive = Quick(defaults.Archive),
        };
    }
}
