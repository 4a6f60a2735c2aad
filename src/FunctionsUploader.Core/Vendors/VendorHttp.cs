using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly;
using Polly.Retry;

namespace FunctionsUploader.Vendors;

/// <summary>Quick retries inside one activity (layer 1 of DESIGN.md): a few attempts within seconds.</summary>
public sealed class VendorRetryOptions
{
    public int MaxRetries { get; set; } = 3;

    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A Retry-After longer than this is not waited out here: the failure goes up to the orchestration's retry.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Sends a vendor's API requests: transient failures (connection errors, timeouts, 408, 429, 5xx) are retried a
/// few times honouring Retry-After; a 401 (or what the vendor uses instead) makes the token cache fetch a new
/// token once; everything else becomes a <see cref="VendorApiException"/> that says whether retrying can help.
/// </summary>
public sealed class VendorHttp
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly Func<JsonElement, string?>? _errorMessage;

    /// <param name="errorMessage">Reads the vendor's own words out of a JSON error body; the body as it is when null or when it finds none.</param>
    public VendorHttp(string vendor, HttpClient http, VendorRetryOptions? retry = null, TimeProvider? time = null, Func<JsonElement, string?>? errorMessage = null)
    {
        Vendor = vendor;
        _http = http;
        _errorMessage = errorMessage;
        var options = retry ?? new VendorRetryOptions();
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            TimeProvider = time ?? TimeProvider.System,
        }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.FirstDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TaskCanceledException>(e => e.InnerException is TimeoutException)
                    .HandleResult(r => VendorApiException.IsRetryableStatus((int)r.StatusCode) && (RetryAfterOf(r) ?? TimeSpan.Zero) <= options.MaxDelay),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfterOf(response) : null),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public string Vendor { get; }

    /// <summary>
    /// Sends the request <paramref name="build"/> makes (anew for every attempt) and returns a success response.
    /// With <paramref name="tokens"/>, <paramref name="authorize"/> puts the current token on each request and an
    /// answer in <paramref name="unauthorizedStatuses"/> (default: 401) fetches a new token and tries once more.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        string operation,
        Func<HttpRequestMessage> build,
        CancellationToken cancellationToken,
        AccessTokenCache? tokens = null,
        Action<HttpRequestMessage, AccessToken>? authorize = null,
        int[]? unauthorizedStatuses = null)
    {
        unauthorizedStatuses ??= [401];
        for (var refreshed = false; ; refreshed = true)
        {
            var token = tokens is null ? null : await tokens.GetAsync(cancellationToken);
            HttpResponseMessage response;
            try
            {
                response = await _retry.ExecuteAsync(
                    async ct =>
                    {
                        using var request = build();
                        if (token is not null)
                        {
                            authorize?.Invoke(request, token);
                        }

                        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                    },
                    cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new VendorApiException(Vendor, operation, 0, retryable: true, e.Message, innerException: e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new VendorApiException(Vendor, operation, 0, retryable: true, "the request timed out", innerException: e);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (tokens is not null && token is not null && !refreshed && unauthorizedStatuses.Contains(status))
                {
                    tokens.Invalidate(token);
                    continue;
                }

                var body = await ReadShortAsync(response, cancellationToken);
                throw new VendorApiException(Vendor, operation, status, VendorApiException.IsRetryableStatus(status), MessageOf(body), RetryAfterOf(response));
            }
        }
    }

    /// <summary>Retry-After as seconds or as a date, when the vendor sent one.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        RetryConditionHeaderValue? header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }

    private string? MessageOf(string? body)
    {
        if (_errorMessage is null || string.IsNullOrWhiteSpace(body))
        {
            return body;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return _errorMessage(json.RootElement) is { Length: > 0 } message ? message : body;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return body; // Not JSON, cut short, or another shape: the start of the body still says something.
        }
    }

    private static async Task<string?> ReadShortAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new char[4096];
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return read == 0 ? response.ReasonPhrase : new string(buffer, 0, read);
    }
}
