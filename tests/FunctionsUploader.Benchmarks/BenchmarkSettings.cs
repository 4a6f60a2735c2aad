namespace FunctionsUploader.Benchmarks;

/// <summary>The command line: what to move, how often, and how to report it.</summary>
internal sealed record BenchmarkSettings(long Size, int Runs, bool Json, IReadOnlyList<string> Paths, int PartsInFlight, long? Gen0Budget, bool ReadyToRun = true)
{
    /// <summary>
    /// The most gen0 garbage the measured processes let pile up before a collection. .NET sizes gen0 from the L3 cache,
    /// and a VM that reports a huge L3 (480 MiB here) lets a whole transfer's garbage pile up uncollected, so peak RSS
    /// would measure the GC's allowance instead of what the transfer holds; 16 MiB is also small enough that a 1 GiB
    /// run reaches the steady state that a 4 GiB run has.
    /// </summary>
    public const long DefaultGen0Budget = 16 * 1024 * 1024;

    public static readonly string[] AllPaths = [CurlPipe, CurlMd5Pipe, CurlMultipart, CurlMultipart5MiB, CurlBlocks, TransferUtility, BlobRead, AzureServerSide, AzureStreamed, S3Presigned, S3Sdk, FileStreamed, EngineCli, EngineCliFiles];

    public const string CurlPipe = "curl-pipe";
    public const string CurlMd5Pipe = "curl-md5-pipe";
    public const string CurlMultipart = "curl-multipart";
    /// <summary>curl-multipart in Picovico's fixed 5 MiB parts, the plan s3-presigned sends (curl-multipart's 16 MiB parts are s3-sdk's).</summary>
    public const string CurlMultipart5MiB = "curl-multipart-5mib";
    /// <summary>curl doing what azure-streamed does: each block's range read twice from Azurite (MD5 first, then the bytes), Put Block with Content-MD5, then Put Block List.</summary>
    public const string CurlBlocks = "curl-blocks";
    public const string TransferUtility = "transferutility";
    /// <summary>The staging read alone: every range of the source through <c>BlobTransferSource</c>, nothing sent on.</summary>
    public const string BlobRead = "blob-read";
    public const string AzureServerSide = "azure-server-side";
    public const string AzureStreamed = "azure-streamed";
    public const string S3Presigned = "s3-presigned";
    public const string S3Sdk = "s3-sdk";
    /// <summary>The bare transfer a MediaValet job makes from a local file: the file's blocks streamed into a SAS URL in Azurite, no engine.</summary>
    public const string FileStreamed = "file-streamed";
    /// <summary>The whole job: the published `uploader upload &lt;file&gt; --vendor mediavalet --sandbox`, on the Durable Task Framework, start to exit.</summary>
    public const string EngineCli = "engine-cli";
    /// <summary>The same bytes as <see cref="ManyFiles"/> files, all in one `uploader upload` (so one sign-in, jobs side by side).</summary>
    public const string EngineCliFiles = "engine-cli-files";

    /// <summary>How many files engine-cli-files cuts the source into: 50 of 20 MiB for a 1 GiB source.</summary>
    public const int ManyFiles = 50;

    public const string Usage = """
        usage: benchmark [--size 256MiB] [--runs 3] [--paths curl-pipe,curl-md5-pipe,curl-multipart,curl-multipart-5mib,curl-blocks,transferutility,blob-read,azure-server-side,azure-streamed,s3-presigned,s3-sdk,file-streamed,engine-cli,engine-cli-files]
                         [--parts-in-flight 4] [--gen0-budget 16MiB|default] [--build readytorun|il] [--json]
        Creates a random file of --size in Azurite and copies it along each path to the emulators, --runs times, in turn.
        Sizes take B, KiB, MiB or GiB. Prints medians per path, ratios to the curl pipe and to TransferUtility, and peak memory.
        --gen0-budget sets DOTNET_GCGen0MaxBudget for the measured processes ("default": the runtime's own choice).
        The measured processes are published from this repository first, as they ship (--build: ReadyToRun, or plain IL).
        engine-cli runs the CLI's whole --sandbox job to MediaValet; file-streamed is the same transfer without the engine;
        engine-cli-files sends the same bytes as 50 files in one upload command. A planner table shows activities,
        sub-orchestrations and history events for a 200 GB file.
        """;

    /// <summary>The curl baselines: the same bytes between the same servers, in curl processes the benchmark times and meters.</summary>
    public static bool IsCurl(string path) => path is CurlPipe or CurlMd5Pipe or CurlMultipart or CurlMultipart5MiB or CurlBlocks;

    /// <summary>The curl baseline doing the same protocol as a path (the same requests, parts of the same size, against the same servers), if there is one.</summary>
    public static string? SameWorkBaseline(string path) => path switch
    {
        S3Presigned => CurlMultipart5MiB,
        S3Sdk => CurlMultipart,
        AzureStreamed => CurlBlocks,
        EngineCli => FileStreamed,
        EngineCliFiles => EngineCli,
        _ => null,
    };

    public static BenchmarkSettings Parse(string[] args)
    {
        var settings = new BenchmarkSettings(256 * 1024 * 1024, 3, false, AllPaths, 4, DefaultGen0Budget);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            settings = args[i] switch
            {
                "--size" => settings with { Size = ParseSize(Value()) },
                "--runs" => settings with { Runs = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--paths" => settings with { Paths = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--parts-in-flight" => settings with { PartsInFlight = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--gen0-budget" => settings with { Gen0Budget = Value() is "default" ? null : ParseSize(args[i]) },
                "--json" => settings with { Json = true },
                "--build" => settings with
                {
                    ReadyToRun = Value().ToLowerInvariant() switch
                    {
                        "readytorun" => true,
                        "il" => false,
                        _ => throw new ArgumentException($"--build takes readytorun or il, not '{args[i]}'.\n{Usage}"),
                    },
                },
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
        }

        if (settings.Paths.FirstOrDefault(p => !AllPaths.Contains(p)) is { } unknown)
        {
            throw new ArgumentException($"Unknown path {unknown}.\n{Usage}");
        }

        return settings.Runs < 1 || settings.Size < 1 ? throw new ArgumentException(Usage) : settings;
    }

    private static long ParseSize(string text)
    {
        (string Suffix, long Scale)[] units = [("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10), ("B", 1)];
        var (suffix, scale) = units.FirstOrDefault(u => text.EndsWith(u.Suffix, StringComparison.OrdinalIgnoreCase), ("", 1));
        return (long)(double.Parse(text[..^suffix.Length], CultureInfo.InvariantCulture) * scale);
    }
}
