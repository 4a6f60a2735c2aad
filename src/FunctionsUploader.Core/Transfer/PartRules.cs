namespace FunctionsUploader.Transfer;

/// <summary>
/// How a target takes a file in parts: the service's limits and the vendor's own part size where it dictates
/// one. <see cref="PartPlanner"/> turns them into a plan. Plain data, secret-free: the orchestration may plan.
/// </summary>
public sealed record PartRules
{
    public const long MiB = 1024 * 1024;

    /// <summary>S3: every part but the last at least 5 MiB, at most 5 GiB, at most 10,000 parts.</summary>
    public const long S3MinPartSize = 5 * MiB;
    public const long S3MaxPartSize = 5 * 1024 * MiB;
    public const int S3MaxParts = 10_000;

    /// <summary>Azure block blobs (x-ms-version 2019-12-12 and later): blocks up to 4000 MiB, at most 50,000.</summary>
    public const long AzureMaxBlockSize = 4000 * MiB;
    public const int AzureMaxBlocks = 50_000;

    /// <summary>Prepr's documented default chunk (52,428,800 bytes).</summary>
    public const long PreprChunkSize = 50 * MiB;

    /// <summary>Panopto: "between 5MB and 25MB"; read as decimal megabytes, the stricter reading.</summary>
    public const long PanoptoMaxPartSize = 25_000_000;

    /// <summary>What the parts go to, for messages ("an Azure block blob").</summary>
    public required string Target { get; init; }

    /// <summary>The part size used unless the file needs larger parts.</summary>
    public required long PreferredPartSize { get; init; }

    /// <summary>The smallest size of every part but the last.</summary>
    public long MinPartSize { get; init; } = 1;

    public required long MaxPartSize { get; init; }

    public required int MaxParts { get; init; }

    /// <summary>The vendor dictates the part size: the planner never grows it.</summary>
    public bool FixedPartSize { get; init; }

    /// <summary>The vendor issued exactly this many part URLs for the file.</summary>
    public int? RequiredPartCount { get; init; }

    public bool AcceptsEmptyFile { get; init; } = true;

    /// <summary>False when parts must go one after another (server-driven offsets): batches too run one at a time.</summary>
    public bool ParallelParts { get; init; } = true;
}
