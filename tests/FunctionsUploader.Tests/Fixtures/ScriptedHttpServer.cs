using FunctionsUploader.Simulators.Emulators;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FunctionsUploader.Tests.Fixtures;

/// <summary>
/// A real HTTP server on a free loopback port that answers each request as the test scripts it, and records
/// what it was sent. For client behaviour (retries, token refresh) that needs exact answers.
/// </summary>
public sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, int, (int Status, string Body, IDictionary<string, string>? Headers)> _respond;
    private readonly Task _loop;
    private int _count;

    public ScriptedHttpServer(Func<HttpListenerRequest, int, (int Status, string Body, IDictionary<string, string>? Headers)> respond)
    {
        _respond = respond;
        for (var attempt = 0; ; attempt++)
        {
            var port = EmulatorProcess.FreeLoopbackPort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                BaseUri = new Uri($"http://127.0.0.1:{port}/");
                break;
            }
            catch (HttpListenerException) when (attempt < 3)
            {
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Each request as "METHOD /path Authorization-header".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var number = Interlocked.Increment(ref _count);
            Requests.Enqueue($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath} {context.Request.Headers["Authorization"]}");
            var (status, body, headers) = _respond(context.Request, number);
            context.Response.StatusCode = status;
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
