using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FunctionsUploader.Tests.Fixtures;

/// <summary>What the proxy does to a request instead of forwarding it faithfully.</summary>
public abstract record Fault
{
    /// <summary>Answers with this status (and Retry-After, when given) without forwarding.</summary>
    public sealed record Status(int Code, TimeSpan? RetryAfter = null) : Fault;

    /// <summary>Reads this many body bytes, then drops the connection: a reset mid-upload.</summary>
    public sealed record Reset(long AfterBytes) : Fault;

    /// <summary>Forwards the request with one body byte flipped: corruption the client cannot see.</summary>
    public sealed record Corrupt : Fault;

    /// <summary>Forwards the request, then drops the connection after this many bytes of the response body: a download broken mid-way.</summary>
    public sealed record CutResponse(long AfterBytes) : Fault;
}

/// <summary>
/// A real reverse proxy on loopback in front of an emulator, for transient-fault tests: it injects the faults it
/// is told to on matching requests, forwards everything else as is, and counts requests and concurrency.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Transfer-Encoding", "Connection", "Keep-Alive" };

    private readonly Uri _upstream;
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly List<Rule> _rules = [];
    private readonly ConcurrentQueue<string> _seen = new();
    private WebApplication? _app;
    private int _inFlight;
    private int _maxInFlight;

    private FaultProxy(Uri upstream)
    {
        _upstream = upstream;
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The most requests with a body that were in flight at once.</summary>
    public int MaxConcurrentUploads => Volatile.Read(ref _maxInFlight);

    public static async Task<FaultProxy> StartAsync(Uri upstream)
    {
        var proxy = new FaultProxy(upstream);
        (proxy._app, var address) = await LoopbackHost.StartAsync(app => app.Run(proxy.HandleAsync));
        proxy.BaseUrl = new UriBuilder(upstream) { Port = address.Port }.Uri;
        return proxy;
    }

    /// <summary>Applies <paramref name="fault"/> to the next <paramref name="times"/> requests whose method, path and query contain <paramref name="match"/>.</summary>
    public void Inject(string match, Fault fault, int times = 1)
    {
        lock (_rules)
        {
            _rules.Add(new Rule(match, fault, times));
        }
    }

    /// <summary>How many requests whose method, path and query contain <paramref name="match"/> arrived.</summary>
    public int Count(string match) => _seen.Count(s => s.Contains(match, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _client.Dispose();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var line = $"{request.Method} {request.Path}{request.QueryString}";
        _seen.Enqueue(line);
        var uploading = request.ContentLength > 0;
        if (uploading)
        {
            var now = Interlocked.Increment(ref _inFlight);
            for (var max = _maxInFlight; now > max; max = _maxInFlight)
            {
                Interlocked.CompareExchange(ref _maxInFlight, now, max);
            }
        }

        try
        {
            switch (Take(line))
            {
                case Fault.Status status:
                    http.Response.StatusCode = status.Code;
                    if (status.RetryAfter is { } wait)
                    {
                        http.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    }

                    await http.Response.WriteAsync($"<Error><Code>Injected{status.Code}</Code><Message>injected by the test proxy</Message></Error>");
                    return;
                case Fault.Reset reset:
                    var buffer = new byte[64 * 1024];
                    for (long read = 0, n; read < reset.AfterBytes && (n = await request.Body.ReadAsync(buffer)) > 0; read += n)
                    {
                    }

                    http.Abort();
                    return;
                case var fault:
                    await ForwardAsync(http, corrupt: fault is Fault.Corrupt, cutAfter: (fault as Fault.CutResponse)?.AfterBytes);
                    return;
            }
        }
        finally
        {
            if (uploading)
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private Fault? Take(string line)
    {
        lock (_rules)
        {
            var rule = _rules.FirstOrDefault(r => r.Remaining > 0 && line.Contains(r.Match, StringComparison.Ordinal));
            if (rule is null)
            {
                return null;
            }

            rule.Remaining--;
            return rule.Fault;
        }
    }

    private async Task ForwardAsync(HttpContext http, bool corrupt, long? cutAfter)
    {
        var request = http.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_upstream, request.Path + request.QueryString));
        if (request.ContentLength is not null || request.Headers.TransferEncoding.Count > 0)
        {
            var flipped = false;
            forward.Content = new StreamContent(corrupt
                ? new ForwardOnlyStream(request.Body, read =>
                {
                    if (read.Length > 0 && !flipped)
                    {
                        read[0] ^= 0xFF;
                        flipped = true;
                    }
                })
                : request.Body);
        }

        foreach (var (name, values) in request.Headers.Where(h => !HopHeaders.Contains(h.Key)))
        {
            if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await _client.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        http.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers).Where(h => !HopHeaders.Contains(h.Key)))
        {
            http.Response.Headers[name] = values.ToArray();
        }

        if (cutAfter is not { } limit)
        {
            await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
            return;
        }

        await using var body = await response.Content.ReadAsStreamAsync(http.RequestAborted);
        var buffer = new byte[64 * 1024];
        for (long sent = 0; sent < limit;)
        {
            var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - sent)), http.RequestAborted);
            if (read == 0)
            {
                break;
            }

            await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
            sent += read;
        }

        await http.Response.Body.FlushAsync(http.RequestAborted);
        http.Abort();
    }

    private sealed class Rule(string match, Fault fault, int remaining)
    {
        public string Match { get; } = match;

        public Fault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;
    }
}
