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
/// (upload_phase=transfer, original_name, file_chunk) to {BaseUrl}assets/{id}/multipart, then upload_phase=finish
/// once. The target counts the bytes the server took and never steers by the offsets in a reply: a finished Prepr
/// asset shows start_offset at its last chunk and end_offset at the file size (vpro/prepr's fixtures), so a reply
/// names the range just received, not the next one. The connector opened the asset and supplies the Authorization
/// header; the token never sits in the spec.
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

    /// <summary>Bytes the server holds, counted from the chunks it accepted; null when unknown (a send failed half way, or nothing was asked yet).</summary>
    private long? _held;
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

    /// <summary>Every part that ends at or before the bytes the server says it holds is there.</summary>
    public async Task<IReadOnlyDictionary<int, PartReceipt>> GetHeldPartsAsync(PartPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var held = _held = await ReadHeldAsync(cancellationToken) ?? 0;
        return plan.GetParts()
            .Where(p => p.Length > 0 && p.End <= held)
            .ToDictionary(p => p.Number, p => new PartReceipt(p.Number, p.Length, null, null));
    }

    /// <summary>Sends the part as one chunk, once; a part the server already holds (an answer lost on the way back) is not sent again.</summary>
    public async Task<PartReceipt> SendPartAsync(ITransferSource source, Part part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Interlocked.Exchange(ref _sending, 1) == 1)
        {
            throw new InvalidOperationException($"{Name} takes one chunk at a time: each is appended where the last ended.");
        }

        try
        {
            var held = _held ?? await ReadHeldAsync(cancellationToken) ?? 0;
            _held = held;
            if (held >= part.End)
            {
                return new PartReceipt(part.Number, part.Length, null, null);
            }

            if (held != part.Offset)
            {
                throw new TransferIntegrityException($"{Name} holds {held} bytes, so {part} cannot be appended there: an earlier part is missing or was cut.", part.Number);
            }

            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            // Unknown until the server answers: a failed attempt asks the asset again instead of appending twice.
            _held = null;
            await SendChunkAsync(source, part, md5, cancellationToken);
            _held = part.End;
            return new PartReceipt(part.Number, part.Length, Convert.ToHexStringLower(md5.GetHashAndReset()), null);
        }
        finally
        {
            Volatile.Write(ref _sending, 0);
        }
    }

    /// <summary>Sends upload_phase=finish once, when every part is in by the receipts and by the server's own count where it gives one.</summary>
    public async Task<CommitResult> CommitAsync(PartPlan plan, IReadOnlyCollection<PartReceipt> receipts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.CheckComplete(receipts, Name);
        // A server that names no offsets (an asset whose source_file is null) is trusted with what the receipts say.
        var held = _held ?? await ReadHeldAsync(cancellationToken) ?? plan.FileLength;
        if (held != plan.FileLength)
        {
            throw new TransferIntegrityException($"Not finishing {Name}: it holds {held} of {plan.FileLength} bytes.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _multipartUri)
        {
            Content = new StringContent("""{"upload_phase":"finish"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = await _authorize(cancellationToken);
        using var response = await _http.SendAsync(request, cancellationToken);
        await TransferHttpException.ThrowIfFailedAsync(response, "Finishing the upload", Name, cancellationToken);
        await PhasedChunkReply.ReadAsync(response, "Finishing the upload", Name, cancellationToken);
        _logger.Committed(plan.PartCount, plan.FileLength, Name);
        return new CommitResult(plan.FileLength, null);
    }

    /// <summary>Nothing to abort at this level: the connector deletes the asset (DELETE /assets/{id}, scope assets_delete).</summary>
    public Task AbortAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    private async Task SendChunkAsync(ITransferSource source, Part part, IncrementalHash md5, CancellationToken cancellationToken)
    {
        await using var body = new PartReadStream(await source.OpenReadAsync(part.Offset, part.Length, cancellationToken), part.Length, md5);
        var chunk = new StreamedPartContent(body, part.Length, _options.CopyBufferSize);
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
        var operation = $"Upload of bytes {part.Offset}-{part.End - 1}";
        await TransferHttpException.ThrowIfFailedAsync(response, operation, Name, cancellationToken);
        var reply = await PhasedChunkReply.ReadAsync(response, operation, Name, cancellationToken);
        if (PhasedChunkReply.EndOffset(reply) is { } end && end != part.End)
        {
            _logger.PhasedChunkOffsetsDiffer(Name, part.End, end);
        }
    }

    /// <summary>The bytes the asset holds: source_file.end_offset (Prepr shows it at the file size once every byte is in); null when it names none.</summary>
    private async Task<long?> ReadHeldAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _assetUri);
        request.Headers.Authorization = await _authorize(cancellationToken);
        using var response = await _http.SendAsync(request, cancellationToken);
        await TransferHttpException.ThrowIfFailedAsync(response, "Reading the asset", Name, cancellationToken);
        return PhasedChunkReply.EndOffset(await PhasedChunkReply.ReadAsync(response, "Reading the asset", Name, cancellationToken));
    }
}
