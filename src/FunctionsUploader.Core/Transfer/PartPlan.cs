namespace FunctionsUploader.Transfer;

/// <summary>
/// How one file is cut: <see cref="PartCount"/> parts of <see cref="PartSize"/> bytes, the last one shorter.
/// An empty file is one empty part. Three numbers, so it travels in activity inputs and histories for free.
/// </summary>
public sealed record PartPlan(long FileLength, long PartSize, int PartCount)
{
    /// <summary>A batch (one copy activity) of about 1 GiB: a few minutes even at 10 MB/s.</summary>
    public const long DefaultBatchBytes = 1024 * PartRules.MiB;

    /// <summary>Keeps a 200 GB file to a thousand activities at the most.</summary>
    public const int DefaultMaxBatches = 1000;

    public Part GetPart(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, PartCount);
        var offset = (number - 1) * PartSize;
        return new Part(number, offset, number == PartCount ? FileLength - offset : PartSize);
    }

    public IEnumerable<Part> GetParts() => Enumerable.Range(1, PartCount).Select(GetPart);

    /// <summary>Consecutive runs of parts, each about <paramref name="targetBatchBytes"/>, never more than <paramref name="maxBatches"/>.</summary>
    public IReadOnlyList<PartBatch> GetBatches(long targetBatchBytes = DefaultBatchBytes, int maxBatches = DefaultMaxBatches)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetBatchBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatches);
        var partsPerBatch = (int)Math.Max(Math.Max(targetBatchBytes / PartSize, 1), (PartCount + (long)maxBatches - 1) / maxBatches);
        var batches = new List<PartBatch>();
        for (var first = 1; first <= PartCount; first += partsPerBatch)
        {
            batches.Add(new PartBatch(this, batches.Count, first, Math.Min(partsPerBatch, PartCount - first + 1)));
        }

        return batches;
    }

    /// <summary>
    /// The receipts in part order, once each part of the plan has exactly one with the planned length: the check
    /// before any commit, so that a missing or short part can never be committed as a shorter file.
    /// </summary>
    public IReadOnlyList<PartReceipt> CheckComplete(IEnumerable<PartReceipt> receipts, string target)
    {
        ArgumentNullException.ThrowIfNull(receipts);
        var byNumber = new PartReceipt?[PartCount];
        foreach (var receipt in receipts)
        {
            if (receipt.PartNumber < 1 || receipt.PartNumber > PartCount)
            {
                throw new TransferIntegrityException($"Not committing {target}: a receipt names part {receipt.PartNumber}, but the plan has parts 1 to {PartCount}.", receipt.PartNumber);
            }

            var expected = GetPart(receipt.PartNumber).Length;
            if (receipt.Length != expected)
            {
                throw new TransferIntegrityException(
                    $"Not committing {target}: part {receipt.PartNumber} holds {receipt.Length} bytes, the plan says {expected}.", receipt.PartNumber);
            }

            byNumber[receipt.PartNumber - 1] = receipt;
        }

        var missing = Enumerable.Range(1, PartCount).Where(n => byNumber[n - 1] is null).ToList();
        if (missing.Count > 0)
        {
            throw new TransferIntegrityException(
                $"Not committing {target}: {missing.Count} of {PartCount} parts have no receipt (first missing: part {missing[0]}).", missing[0]);
        }

        return byNumber!;
    }
}

/// <summary>The unit of one copy activity: parts <see cref="FirstPartNumber"/> to FirstPartNumber + PartCount - 1 of <see cref="Plan"/>.</summary>
public sealed record PartBatch(PartPlan Plan, int Index, int FirstPartNumber, int PartCount)
{
    public IEnumerable<Part> GetParts() => Enumerable.Range(FirstPartNumber, PartCount).Select(Plan.GetPart);

    /// <summary>Every part of the plan as one batch (the CLI, the benchmark).</summary>
    public static PartBatch All(PartPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PartBatch(plan, 0, 1, plan.PartCount);
    }
}
