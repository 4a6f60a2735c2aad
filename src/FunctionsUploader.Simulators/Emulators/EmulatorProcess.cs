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
    private readonly string _scheme;

    private EmulatorProcess(string name, IReadOnlyList<int> ports, bool https, Process process, OutputTail output)
    {
        Name = name;
        Ports = ports;
        _scheme = https ? "https" : "http";
        _process = process;
        _output = output;
    }

    public string Name { get; }

    /// <summary>The first (or only) port the emulator serves.</summary>
    public int Port => Ports[0];

    /// <summary>Every port it serves, in the order its arguments were given them (Azurite: blob, queue, table).</summary>
    public IReadOnlyList<int> Ports { get; }

    public Uri BaseUri => UriOf(Port);

    /// <summary>The launcher's process id: it exits only after the emulator has.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the emulator printed last: for error messages when something goes wrong.</summary>
    public string RecentOutput => _output.Text;

    /// <summary>
    /// Starts <paramref name="packageName"/>'s <paramref name="binName"/> with the arguments that
    /// <paramref name="arguments"/> builds for a port, on a free loopback port; retries on another port when
    /// the chosen one was taken meanwhile. Fails with the emulator's own output when it cannot start.
    /// <paramref name="https"/> says the emulator serves TLS (its readiness probe then accepts any certificate).
    /// </summary>
    public static Task<EmulatorProcess> StartAsync(
        EmulatorInstallation installation,
        string packageName,
        string binName,
        Func<int, IEnumerable<string>> arguments,
        bool https = false,
        CancellationToken cancellationToken = default,
        string? dataDirectory = null) =>
        StartAsync(installation, packageName, binName, 1, ports => arguments(ports[0]), https, cancellationToken, dataDirectory);

    /// <summary>
    /// As above, for an emulator that serves <paramref name="portCount"/> ports (Azurite's blob, queue and table): it
    /// is ready when every one of them answers HTTP.
    /// </summary>
    public static async Task<EmulatorProcess> StartAsync(
        EmulatorInstallation installation,
        string packageName,
        string binName,
        int portCount,
        Func<IReadOnlyList<int>, IEnumerable<string>> arguments,
        bool https = false,
        CancellationToken cancellationToken = default,
        string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(installation);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentOutOfRangeException.ThrowIfLessThan(portCount, 1);
        await installation.EnsureInstalledAsync(cancellationToken);
        var failures = new StringBuilder();
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            var ports = FreeLoopbackPorts(portCount);
            var output = new OutputTail();
            var process = StartNode(installation, packageName, binName, arguments(ports), output, dataDirectory);
            var emulator = new EmulatorProcess(binName, ports, https, process, output);
            var failure = await emulator.WaitUntilReadyAsync(cancellationToken);
            if (failure is null)
            {
                return emulator;
            }

            await emulator.DisposeAsync();
            failures.Append(CultureInfo.InvariantCulture, $"attempt {attempt} on port {string.Join(", ", ports)}: {failure}\n--- output ---\n{output.Text}\n");
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

    /// <summary>The URL of one of its ports.</summary>
    public Uri UriOf(int port) => new($"{_scheme}://127.0.0.1:{port}/");

    /// <summary>A loopback port nothing listens on right now (another process may still take it before it is used).</summary>
    public static int FreeLoopbackPort() => FreeLoopbackPorts(1)[0];

    private static int[] FreeLoopbackPorts(int count)
    {
        // All listeners open at once, so the system hands out different ports.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Dispose());
        }
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
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new EmulatorsUnavailableException("node was not found on PATH: install Node.js 20 or later to run the storage emulators.", e);
        }

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
                foreach (var port in Ports)
                {
                    using var response = await http.GetAsync(UriOf(port), cancellationToken);
                }

                return null; // Any HTTP answer on every port means the server is listening.
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        return $"did not answer HTTP on port {string.Join(", ", Ports)} within {ReadyTimeout.TotalSeconds:0} s";
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
