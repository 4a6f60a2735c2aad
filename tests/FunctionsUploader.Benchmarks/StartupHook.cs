using System.Diagnostics;
using System.Runtime;

/// <summary>
/// Loaded into a process the benchmark starts but did not build (the published `uploader`) through the runtime's
/// DOTNET_STARTUP_HOOKS; when that process exits it writes what it spent to the file named by
/// FUNCTIONSUPLOADER_METER_FILE: CPU seconds, JIT seconds, methods compiled and peak resident bytes. It uses nothing
/// but the base library, so it loads into any .NET process without the benchmark's dependencies.
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

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            var peak = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))?["VmHWM:".Length..].Trim().Split(' ')[0] ?? "0";
            File.WriteAllText(file, string.Join(' ',
                Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                JitInfo.GetCompilationTime().TotalSeconds.ToString(CultureInfo.InvariantCulture),
                JitInfo.GetCompiledMethodCount().ToString(CultureInfo.InvariantCulture),
                (long.Parse(peak, CultureInfo.InvariantCulture) * 1024).ToString(CultureInfo.InvariantCulture)));
        };
    }
}
