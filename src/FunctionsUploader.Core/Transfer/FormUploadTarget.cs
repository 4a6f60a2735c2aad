using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using FunctionsUploader.Storage;

namespace FunctionsUploader.Transfer;

/// <summary>
/// The file as one multipart/form-data POST that makes the asset (<see cref="FormUploadTargetSpec"/>). The receipt's
/// tag is the id the server answered; the commit has nothing left to send. Nothing can be listed: an answer lost on
/// the way back leaves an asset the next attempt does not know of (Prepr: find it by its reference_id).
/// </summary>
public sealed class FormUploadTarget : ITransferTarget
{
    private readonly FormUploadTargetSpec _spec;
    private readonly HttpClient _http;
    private readonly Func<CancellationToken, ValueTask<AuthenticationHeaderValue>> _authorize;
    private readonly TransferOptions _options;

    /// <param name="http">A long-lived client; give it an infinite Timeout, the engine bounds each attempt.</param>
    public FormUploadTarget(FormUploadTargetSpec spec, HttpClient http, Func<CancellationToken, ValueTask<AuthenticationHeaderValue>> authorize, TransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(authorize);
        _spec = spec;
        _http = http;
        _authorize = authorize;
        _options = options ?? new TransferOptions();
        Rules = spec.GetPartRules();
        Name = $"{spec.FileName} to {BlobSas.Redact(spec.Url)}";
    }

    public string Name { get; }

    public PartRules Rules { get; }

    public Task<IReadOnlyDictionary<int, PartReceipt>> GetHeldPartsAsync(PartPlan plan, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<int, PartReceipt>>(new Dictionary<int, PartReceipt>());

    public async Task<PartReceipt> SendPartAsync(ITransferSource source, Part part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (part.Offset != 0 || part.Number != 1)
        {
            throw new TransferRefusedException($"{Name} takes the whole file in one request, not {part}.");
        }

        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await using var body = new PartReadStream(await source.OpenReadAsync(part.Offset, part.Length, cancellationToken), part.Length, md5);
        var file = new StreamedPartContent(body, part.Length, _options.CopyBufferSize);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in _spec.Fields)
        {
            form.Add(new StringContent(value), name);
        }

        form.Add(file, _spec.FileField, _spec.FileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, _spec.Url) { Content = form };
        request.Headers.Authorization = await _authorize(cancellationToken);
        using var response = await _http.SendAsync(request, cancellationToken);
        await TransferHttpException.ThrowIfFailedAsync(response, "Upload of the file", Name, cancellationToken);
        var reply = await PhasedChunkReply.ReadAsync(response, "Upload of the file", Name, cancellationToken);
        var id = reply.ValueKind == JsonValueKind.Object && reply.TryGetProperty("id", out var answered) ? answered.ToString() : null;

        return new PartReceipt(part.Number, part.Length, Convert.ToHexStringLower(md5.GetHashAndReset()), id is { Length: > 0 }
            ? id
            : throw new TransferIntegrityException($"{Name} took the file but its answer names no asset id.", part.Number));
    }

    public Task<CommitResult> CommitAsync(PartPlan plan, IReadOnlyCollection<PartReceipt> receipts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.CheckComplete(receipts, Name);
        return Task.FromResult(new CommitResult(plan.FileLength, null));
    }

    /// <summary>What the POST made is the connector's to delete.</summary>
    public Task AbortAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
