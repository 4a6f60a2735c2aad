using System.Diagnostics;
using System.Runtime;

/// <summary>
/// Loaded into a process the benchmark starts but did not build (the published `uploader`) through the runtime's
/// DOTNET_STARTUP_HOOKS; when that process exits it writes what it spent to the file named by
/// FUNCTIONSUPLOADER_METER_FILE: CPU seconds, JIT seconds, methods compiled, peak resident bytes and the tiered
/// compilation worker's CPU seconds. It and ProcessMeter use nothing but the base library, so the benchmark's assembly
/// loads into any .NET process without the benchmark's dependencies.
/// </summary>
#pragma warning disable CA1050 // The runtime looks the hook up by this exact name, outside any namespace.
internal static class StartupHook
#pragma warning restore CA1050
{
    public const string MeterFileVariable = "FUNCTIONSUPLOADER_METER_FILE";

    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(MeterFileVariable) is not { Length: > 0 } file)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.WriteAllText(file, string.Join(' ', new[]
        {
            Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
            JitInfo.GetCompilationTime().TotalSeconds,
            JitInfo.GetCompiledMethodCount(),
            FunctionsUploader.Benchmarks.ProcessMeter.PeakResidentBytes(),
            FunctionsUploader.Benchmarks.ProcessMeter.TieringCpuSeconds(),
        }.Select(f => f.ToString(CultureInfo.InvariantCulture))));
    }
}
