using System.Diagnostics;
using System.Text;
using FunctionsUploader.Cli;

namespace FunctionsUploader.Tests.Cli;

/// <summary>The `uploader` of this build (or an installed one) as a child process, its output captured.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private CliProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>This build's CLI, through `dotnet uploader.dll`.</summary>
    public static CliProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(typeof(UploaderCli).Assembly.Location);
        return new CliProcess(With(start, args));
    }

    /// <summary>
    /// This build's CLI on a pseudo-terminal (util-linux `script`), 120 columns wide, so it draws what a user sees;
    /// the captured output is the terminal's byte stream, escape sequences included.
    /// </summary>
    public static CliProcess StartOnTerminal(params string[] args)
    {
        var command = string.Join(' ', new[] { "dotnet", typeof(UploaderCli).Assembly.Location }.Concat(args).Select(Quote));
        var start = new ProcessStartInfo("script");
        start.Environment["TERM"] = "xterm-256color";
        foreach (var arg in new[] { "--quiet", "--return", "--command", $"stty cols 120 rows 40; exec {command}", "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        return new CliProcess(start);
    }

    /// <summary>An executable (an installed tool) in <paramref name="workingDirectory"/> with extra environment.</summary>
    public static CliProcess StartExecutable(string path, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(path) { WorkingDirectory = workingDirectory };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new CliProcess(With(start, args));
    }

    /// <summary>SIGKILL: no clean-up of any kind in the process.</summary>
    public void Kill()
    {
        Append(_stderr, "[test] SIGKILL");
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>What the process wrote to stdout so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>What the process wrote to stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stdout)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Waits for the process to end. After <paramref name="limit"/> (a guard against a hung process, not a timing
    /// assertion) it is killed, and the result says so in its error text.
    /// </summary>
    public async Task<(int Exit, string Stdout, string Stderr)> WaitAsync(TimeSpan? limit = null)
    {
        using var guard = new CancellationTokenSource(limit ?? TimeSpan.FromMinutes(10));
        try
        {
            await _process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Append(_stderr, $"[test] the process was still running after {limit ?? TimeSpan.FromMinutes(10)} and was killed");
        }

        _process.WaitForExit(); // drains the redirected output
        lock (_stdout)
        {
            return (_process.ExitCode, _stdout.ToString(), _stderr.ToString());
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static ProcessStartInfo With(ProcessStartInfo start, string[] args)
    {
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private void Append(StringBuilder to, string? line)
    {
        if (line is not null)
        {
            lock (_stdout)
            {
                to.AppendLine(line);
            }
        }
    }
}
