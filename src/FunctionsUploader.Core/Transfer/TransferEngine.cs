using System.Net;
using Amazon.Runtime;
using FunctionsUploader.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace FunctionsUploader.Transfer;

/// <summary>
/// Moves parts from a source to a target: a batch at a time (the CopyParts activity) or a whole file (CLI,
/// benchmark). At most <see cref="TransferOptions.PartsInFlight"/> parts move at once, each through one copy
/// buffer; a part that fails transiently is retried quickly, then reported with its number and cause.
/// </summary>
public sealed class TransferEngine
{
    private static readonly ResiliencePropertyKey<string> PartKey = new("FunctionsUploader.Part");
    private static readonly ResiliencePropertyKey<string> TargetKey = new("FunctionsUploader.Target");

    private readonly TransferOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    public TransferEngine(TransferOptions? options = null, ILogger<TransferEngine>? logger = null)
    {
        _options = options ?? new TransferOptions();
        _logger = logger ?? NullLogger<TransferEngine>.Instance;
        var builder = new ResiliencePipelineBuilder();
        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxRetries,
                Delay = _options.RetryDelay,
                MaxDelay = _options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // A Retry-After longer than our quick retries is left to the orchestration's slower retry.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && IsTransient(e) && !(RetryAfterOf(e) > _options.MaxRetryDelay)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is { } e ? RetryAfterOf(e) : null),
                OnRetry = args =>
                {
                    _logger.PartRetrying(
                        args.Context.Properties.GetValue(PartKey, "a part"),
                        args.Context.Properties.GetValue(TargetKey, "the target"),
                        args.RetryDelay,
                        args.AttemptNumber + 1,
                        args.Outcome.Exception?.Message ?? "no result");
                    return default;
                },
            });
        }

        _pipeline = builder.AddTimeout(_options.AttemptTimeout).Build();
    }

    /// <summary>
    /// Sends the batch's parts that the target does not hold yet and returns a receipt for every part of the
    /// batch, in order. Running it again after a crash skips what the service holds and resends the rest.
    /// </summary>
    public async Task<IReadOnlyList<PartReceipt>> CopyPartsAsync(
        ITransferSource source,
        ITransferTarget target,
        PartBatch batch,
        IProgress<PartReceipt>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Plan.FileLength != source.Length)
        {
            throw new TransferIntegrityException($"The plan is for {batch.Plan.FileLength} bytes but {source.Name} has {source.Length}.");
        }

        var held = await RunAsync("the parts already held", target, ct => target.GetHeldPartsAsync(batch.Plan, ct), cancellationToken);
        var parts = batch.GetParts().ToArray();
        var receipts = new PartReceipt[parts.Length];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = target.Rules.ParallelParts ? _options.PartsInFlight : 1,
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, parts.Length), parallel, async (index, ct) =>
        {
            var part = parts[index];
            if (held.TryGetValue(part.Number, out var existing) && existing.Length == part.Length)
            {
                _logger.PartSkipped(part.ToString(), target.Name);
                receipts[index] = existing;
            }
            else
            {
                receipts[index] = await SendPartAsync(source, target, part, ct);
                _logger.PartSent(part.ToString(), target.Name);
            }

            progress?.Report(receipts[index]);
        });
        return receipts;
    }

    /// <summary>A whole file in this process: plan, every part, commit. On failure nothing is aborted, so a rerun resumes.</summary>
    public async Task<TransferResult> TransferAsync(
        ITransferSource source,
        ITransferTarget target,
        IProgress<PartReceipt>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var plan = PartPlanner.Plan(source.Length, target.Rules);
        var receipts = await CopyPartsAsync(source, target, PartBatch.All(plan), progress, cancellationToken);
        var commit = await target.CommitAsync(plan, receipts.ToList(), cancellationToken);
        return new TransferResult(plan, receipts, commit);
    }

    /// <summary>Failures worth a quick retry: throttling, server errors, timeouts, dropped or reset connections.</summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        TransferIntegrityException or TransferRefusedException => false,
        TransferHttpException http => http.IsTransient,
        BlobStorageException blob => blob.IsTransient || blob.Status == 0,
        AmazonServiceException aws when aws.StatusCode != 0 =>
            (int)aws.StatusCode is 408 or 429 or >= 500 || aws.ErrorCode is "RequestTimeout" or "SlowDown",
        TimeoutRejectedException => true,
        OperationCanceledException canceled => canceled.InnerException is TimeoutException,
        HttpRequestException or IOException => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    private static TimeSpan? RetryAfterOf(Exception exception) => exception switch
    {
        TransferHttpException http => http.RetryAfter,
        BlobStorageException blob => blob.RetryAfter,
        _ => null,
    };

    private async Task<PartReceipt> SendPartAsync(ITransferSource source, ITransferTarget target, Part part, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            return await RunAsync(part.ToString(), target, ct =>
            {
                attempts++;
                return target.SendPartAsync(source, part, ct);
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new PartTransferException(part, target.Name, attempts, IsTransient(e), e);
        }
    }

    private async Task<T> RunAsync<T>(string what, ITransferTarget target, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PartKey, what);
        context.Properties.Set(TargetKey, target.Name);
        try
        {
            return await _pipeline.ExecuteAsync(async ctx => await action(ctx.CancellationToken), context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}

/// <summary>What a whole-file transfer did: the plan, a receipt per part, and the commit.</summary>
public sealed record TransferResult(PartPlan Plan, IReadOnlyList<PartReceipt> Receipts, CommitResult Commit);
