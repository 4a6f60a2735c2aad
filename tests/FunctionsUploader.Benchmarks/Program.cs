using System.Text.Json;
using FunctionsUploader.Benchmarks;

// The parent runs the benchmark; each measured path runs in a child of its own (--child <job>), so that its peak
// memory is not another path's.
if (args is ["--child", var job, var warmUpBlob])
{
    var result = await JsonSerializer.Deserialize<PathJob>(job)!.RunAsync(warmUpBlob);
    Console.WriteLine(result.ToJson());
    return 0;
}

BenchmarkSettings settings;
try
{
    settings = BenchmarkSettings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

return await new BenchmarkRun(settings).RunAsync();
