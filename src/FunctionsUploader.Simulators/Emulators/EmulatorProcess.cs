using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FunctionsUploader.Simulators.Emulators;

/// <summary>
/// One npm-installed emulator (Azurite or s3rver) running on a free loopback port. It is started through
/// tests/emulators/launch.js, which ends the emulator when this process goes away, even on a crash.
/// </summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly OutputTail _output;

    private EmulatorProcess(string name, int port, bool https, Process process, OutputTail output)
    {
        Name = name;
        Port = port;
        BaseUri = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port}/");
        _process = process;
        _output = output;
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseUri { get; }

    /// <summary>What the emulator printed last: for error messages when something goes wrong.</summary>
    public string RecentOutput => _output.Text;

    /// <summary>
    /// Starts <paramref name="packageName"/>'s <paramref name="binName"/> with the arguments that
    /// <paramref name="arguments"/> builds for a port, on a free loopback port; retries on another port when
    /// the chosen one was taken meanwhile. Fails with the emulator's own output when it cannot start.
    /// <paramref name="https"/> says the emulator serves TLS (its readiness probe then accepts any certificate).
    /// </summary>
    public static async Task<EmulatorProcess> StartAsync(
        EmulatorInstallation installation,
        string packageName,
        string binName,
        Func<int, IEnumerable<string>> arguments,
        bool https = false,
        CancellationToken cancellationToken = default,
        string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(installation);
        await installation.EnsureInstalledAsync(cancellationToken);
        var failures = new StringBuilder();
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            var port = FreeLoopbackPort();
            var output = new OutputTail();
            var process = StartNode(installation, packageName, binName, arguments(port), output, dataDirectory);
            var emulator = new EmulatorProcess(binName, port, https, process, output);
            var failure = await emulator.WaitUntilReadyAsync(cancellationToken);
            if (failure is null)
            {
                return emulator;
            }

            await emulator.DisposeAsync();
            failures.Append(CultureInfo.InvariantCulture, $"attempt {attempt} on port {port}: {failure}\n--- output ---\n{output.Text}\n");
            if (!output.Text.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                break;
            }
        }

        throw new InvalidOperationException($"{binName} did not start.\n{failures}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Closing stdin asks launch.js to stop the emulator and delete its data; a kill is the fallback.
                _process.StandardInput.Close();
                try
                {
                    await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch (TimeoutException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
        }
        catch (InvalidOperationException)
        {
            // The process was never started or has already been reaped.
        }
        catch (TimeoutException)
        {
            // The kill was sent; the launcher's parent watch ends the emulator if the kill did not.
        }
        catch (IOException)
        {
            // Stdin was already closed: the launcher is on its way out.
        }

        _process.Dispose();
    }

    /// <summary>A loopback port nothing listens on right now (another process may still take it before it is used).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process StartNode(EmulatorInstallation installation, string packageName, string binName, IEnumerable<string> arguments, OutputTail output, string? dataDirectory)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = installation.Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (dataDirectory is not null)
        {
            // launch.js deletes it after the emulator exits, even when this process died first.
            startInfo.Environment["FUNCTIONSUPLOADER_DATA_DIR"] = dataDirectory;
        }

        startInfo.ArgumentList.Add(Path.Combine(installation.Directory, "launch.js"));
        startInfo.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add(packageName);
        startInfo.ArgumentList.Add(binName);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => output.Append(e.Data);
        process.ErrorDataReceived += (_, e) => output.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <returns>null when the emulator answers HTTP; otherwise why it is not usable.</returns>
    private async Task<string?> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        // Readiness only: any certificate will do, no data is sent.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                // Let the redirected output drain, so the message carries the server's last words.
                await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return $"exited with code {_process.ExitCode} before answering";
            }

            try
            {
                using var response = await http.GetAsync(BaseUri, cancellationToken);
                return null; // Any HTTP answer means the server is listening.
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        return $"did not answer HTTP on port {Port} within {ReadyTimeout.TotalSeconds:0} s";
    }

    /// <summary>Keeps the last lines an emulator printed.</summary>
    private sealed class OutputTail
    {
        private const int MaxLines = 60;
        private readonly Queue<string> _lines = new();

        public string Text
        {
            get
            {
                lock (_lines)
                {
                    return string.Join('\n', _lines);
                }
            }
        }

        public void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Enqueue(line);
                while (_lines.Count > MaxLines)
                {
                    _lines.Dequeue();
                }
            }
        }
    }
}
