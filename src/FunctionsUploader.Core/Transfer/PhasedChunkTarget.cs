using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FunctionsUploader.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsUploader.Transfer;

/// <summary>
/// A phased chunk upload (Prepr's video upload): chunks POSTed one after another as multipart/form-data
/// (upload_phase=transfer, original_name, file_chunk) to {BaseUrl}assets/{id}/multipart, each exactly at the
/// offset the server's last reply named, then upload_phase=finish. The connector opened the asset and supplies
/// the Authorization header; the token never sits in the spec.
/// </summary>
public sealed class PhasedChunkTarget : ITransferTarget
{
    private readonly PhasedChunkTargetSpec _spec;
    private readonly HttpClient _http;
    private readonly Func<CancellationToken, ValueTask<AuthenticationHeaderValue>> _authorize;
    private readonly TransferOptions _options;
    private readonly ILogger _logger;
    private readonly Uri _assetUri;
    private readonly Uri _multipartUri;
    private ChunkRange? _next;
    private int _sending;

    /// <param name="http">A long-lived client; give it an infinite Timeout, the engine bounds each attempt.</param>
    /// <param name="authorize">The Authorization header for each request (Prepr: Bearer with the environment's access token).</param>
    public PhasedChunkTarget(
        PhasedChunkTargetSpec spec,
        HttpClient http,
        Func<CancellationToken, ValueTask<AuthenticationHeaderValue>> authorize,
        TransferOptions? options = null,
        ILogger<PhasedChunkTarget>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(authorize);
        _spec = spec;
        _http = http;
        _authorize = authorize;
        _options = options ?? new TransferOptions();
        _logger = logger ?? NullLogger<PhasedChunkTarget>.Instance;
        var baseUrl = spec.BaseUrl.AbsoluteUri.EndsWith('/') ? spec.BaseUrl : new Uri(spec.BaseUrl.AbsoluteUri + "/");
        _assetUri = new Uri(baseUrl, "assets/" + Uri.EscapeDataString(spec.AssetId));
        _multipartUri = new Uri(_assetUri.AbsoluteUri + "/multipart");
        Rules = spec.GetPartRules();
        Name = $"asset {spec.AssetId} at {BlobSas.Redact(baseUrl)}";
    }

    public string Name { get; }

    public PartRules Rules { get; }

    /// <summary>The server's offset says how much it holds: every part that ends at or before it is there.</summary>
    public async Task<IReadOnlyDictionary<int, PartReceipt>> GetHeldPartsAsync(PartPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var next = await ReadNextChunkAsync(cancellationToken);
        _next = next;
        return plan.GetParts()
            .Where(p => p.Length > 0 && p.End <= next.Start)
            .ToDictionary(p => p.Number, p => new PartReceipt(p.Number, p.Length, null, null));
    }

    public async Task<PartReceipt> SendPartAsync(ITransferSource source, Part part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Interlocked.Exchange(ref _sending, 1) == 1)
        {
            throw new InvalidOperationException($"{Name} takes one chunk at a time: its offsets are server-driven.");
        }

        try
        {
            var next = _next ?? await ReadNextChunkAsync(cancellationToken);
            if (next.Start < part.Offset)
            {
                throw new TransferIntegrityException($"{Name} asks for bytes from {next.Start}, before {part}: an earlier part is missing there.", part.Number);
            }

            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var wholePartHashed = next.Start == part.Offset;
            while (next.Start < part.End)
            {
                if (next.End <= next.Start)
                {
                    throw new TransferIntegrityException($"{Name} asks for no bytes at offset {next.Start}, but {part} runs to {part.End}.", part.Number);
                }

                var length = Math.Min(next.End, part.End) - next.Start;
                // Unknown until the server answers: a failed attempt asks for the offset again instead of appending twice.
                _next = null;
                var reply = await SendChunkAsync(source, next.Start, length, wholePartHashed ? md5 : null, cancellationToken);
                if (reply.Start < next.Start || reply.Start > next.Start + length)
                {
                    throw new TransferIntegrityException(
                        $"{Name} answered bytes {next.Start}-{next.Start + length - 1} with next offset {reply.Start}.", part.Number);
                }

                // A server that kept less than it was sent asks for the rest: then the part's bytes went in pieces.
                wholePartHashed &= reply.Start == next.Start + length;
                _next = next = reply;
            }

            return new PartReceipt(part.Number, part.Length, wholePartHashed ? Convert.ToHexStringLower(md5.GetHashAndReset()) : null, null);
        }
        finally
        {
            Volatile.Write(ref _sending, 0);
        }
    }

    public async Task<CommitResult> CommitAsync(PartPlan plan, IReadOnlyCollection<PartReceipt> receipts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.CheckComplete(receipts, Name);
        var next = _next ?? await ReadNextChunkAsync(cancellationToken);
        if (next.Start != plan.FileLength)
        {
            throw new TransferIntegrityException($"Not finishing {Name}: it holds {next.Start} of {plan.FileLength} bytes.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _multipartUri)
        {
            Content = new StringContent("""{"upload_phase":"finish"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = await _authorize(cancellationToken);
        using var response = await _http.SendAsync(request, cancellationToken);
        await TransferHttpException.ThrowIfFailedAsync(response, "Finishing the upload", Name, cancellationToken);
        _logger.Committed(plan.PartCount, plan.FileLength, Name);
        return new CommitResult(plan.FileLength, null);
    }

    /// <summary>Nothing to abort at this level: the connector deletes the asset (DELETE /assets/{id}, scope assets_delete).</summary>
    public Task AbortAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    private async Task<ChunkRange> SendChunkAsync(ITransferSource source, long offset, long length, IncrementalHash? md5, CancellationToken cancellationToken)
    {
        await using var body = new PartReadStream(await source.OpenReadAsync(offset, length, cancellationToken), length, md5);
        var chunk = new StreamedPartContent(body, length, _options.CopyBufferSize);
        chunk.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("transfer"), "upload_phase" },
            { new StringContent(_spec.OriginalName), "original_name" },
            { chunk, "file_chunk", _spec.OriginalName },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, _multipartUri) { Content = form };
        request.Headers.Authorization = await _authorize(cancellationToken);
        using var response = await _http.SendAsync(request, cancellationToken);
        await TransferHttpException.ThrowIfFailedAsync(response, $"Upload of bytes {offset}-{offset + length - 1}", Name, cancellationToken);
        return await ParseNextChunkAsync(response, cancellationToken);
    }

    private async Task<ChunkRange> ReadNextChunkAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _assetUri);
        request.Headers.Authorization = await _authorize(cancellationToken);
        using var response = await _http.SendAsync(request, cancellationToken);
        await TransferHttpException.ThrowIfFailedAsync(response, "Reading the upload offset", Name, cancellationToken);
        return await ParseNextChunkAsync(response, cancellationToken);
    }

    private async Task<ChunkRange> ParseNextChunkAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // [Assumed] Each transfer reply, and GET /assets/{id}, name the next chunk the server wants as start_offset and
        // end_offset (top level or under source_file, as in Prepr's asset JSON; Facebook's resumable-upload contract):
        // equal offsets mean the server holds the whole file. Verify on the first real call (VENDORS.md, section C).
        try
        {
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var root = json.RootElement;
            var holder = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("start_offset", out _) ? root
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("source_file", out var file) ? file
                : default;
            if (Offset(holder, "start_offset") is { } start && Offset(holder, "end_offset") is { } end)
            {
                return new ChunkRange(start, end);
            }
        }
        catch (JsonException)
        {
        }

        throw new TransferIntegrityException($"{Name} did not say which bytes come next (no start_offset and end_offset in its reply).");
    }

    /// <summary>Prepr's examples send sizes as strings; accept either.</summary>
    private static long? Offset(JsonElement holder, string name) =>
        holder.ValueKind != JsonValueKind.Object || !holder.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number
        : value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;

    private readonly record struct ChunkRange(long Start, long End);
}
