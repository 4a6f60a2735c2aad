namespace FunctionsUploader.Transfer;

/// <summary>Cuts a file into parts a target accepts, growing the part size when the file needs it, or refuses clearly.</summary>
public static class PartPlanner
{
    public static PartPlan Plan(long fileLength, PartRules rules)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileLength);
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.PreferredPartSize < rules.MinPartSize || rules.PreferredPartSize > rules.MaxPartSize)
        {
            throw new TransferRefusedException(
                $"{rules.Target} takes parts of {Size(rules.MinPartSize)} to {Size(rules.MaxPartSize)}; a part size of {Size(rules.PreferredPartSize)} is not one of them.");
        }

        if (fileLength == 0)
        {
            return rules.AcceptsEmptyFile
                ? new PartPlan(0, rules.PreferredPartSize, 1)
                : throw new TransferRefusedException($"{rules.Target} cannot take an empty file (0 bytes).");
        }

        var partSize = rules.FixedPartSize ? rules.PreferredPartSize : GrownPartSize(fileLength, rules);
        var partCount = DivideRoundingUp(fileLength, partSize);
        if (partCount > rules.MaxParts)
        {
            throw new TransferRefusedException(rules.FixedPartSize
                ? $"The file has {Size(fileLength)}: in the {Size(partSize)} parts {rules.Target} takes it needs {partCount:N0} parts, more than the {rules.MaxParts:N0} allowed (at most {Size(partSize * rules.MaxParts)})."
                : $"The file has {Size(fileLength)}, more than {rules.Target} can take: at most {rules.MaxParts:N0} parts of at most {Size(rules.MaxPartSize)} ({Size(rules.MaxPartSize * rules.MaxParts)}).");
        }

        if (rules.RequiredPartCount is { } required && required != partCount)
        {
            throw new TransferRefusedException(
                $"{rules.Target} issued {required:N0} part URLs of {Size(partSize)}, but the file has {Size(fileLength)} and needs {partCount:N0}: the upload session was opened for another size.");
        }

        return new PartPlan(fileLength, partSize, (int)partCount);
    }

    /// <summary>The preferred size, or the smallest whole MiB that fits the file in the allowed number of parts.</summary>
    private static long GrownPartSize(long fileLength, PartRules rules)
    {
        var needed = DivideRoundingUp(fileLength, rules.MaxParts);
        if (needed <= rules.PreferredPartSize)
        {
            return rules.PreferredPartSize;
        }

        var whole = DivideRoundingUp(needed, PartRules.MiB) * PartRules.MiB;
        return Math.Min(whole, rules.MaxPartSize);
    }

    private static long DivideRoundingUp(long value, long divisor) => (value + divisor - 1) / divisor;

    /// <summary>Bytes as a person reads them: the largest unit that states the size exactly, else the exact count and an approximation.</summary>
    internal static string Size(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes == 1 ? "1 byte" : $"{bytes} bytes";
        }

        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        var approximate = string.Empty;
        for (var unit = units.Length - 1; unit >= 0; unit--)
        {
            var scale = (decimal)Math.Pow(1024, unit + 1);
            var value = bytes / scale;
            if (value < 1)
            {
                continue;
            }

            if (value < 10_000 && Math.Round(value, 2) * scale == bytes)
            {
                return $"{value:0.##} {units[unit]}";
            }

            if (approximate.Length == 0)
            {
                approximate = $"{value:0.##} {units[unit]}";
            }
        }

        return $"{bytes:N0} bytes ({approximate})";
    }
}
