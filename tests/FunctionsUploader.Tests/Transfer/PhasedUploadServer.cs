using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using FunctionsUploader.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FunctionsUploader.Tests.Transfer;

/// <summary>
/// A real HTTP server speaking the phased chunk protocol as Prepr's asset JSON shows it: chunks are appended where
/// the server stands, and every reply shows the range of the last chunk received (start_offset, end_offset), so a
/// client that took it for "the next range" would send the last chunk again; it can lose a reply after storing a
/// chunk, as a dropped connection would.
/// </summary>
internal sealed class PhasedUploadServer : IAsyncDisposable
{
    public const string Token = "prepr-test-token-7f3a";

    private readonly ConcurrentDictionary<string, Asset> _assets = new();
    private WebApplication? _app;
    private int _loseNextReplies;

    private PhasedUploadServer(long chunkSize)
    {
        ChunkSize = chunkSize;
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Prepr's default is 50 MiB; the server takes any chunk that fits the declared size.</summary>
    public long ChunkSize { get; }

    public static async Task<PhasedUploadServer> StartAsync(long chunkSize)
    {
        var server = new PhasedUploadServer(chunkSize);
        (server._app, server.BaseUrl) = await LoopbackHost.StartAsync(app =>
        {
            app.MapGet("/assets/{id}", (string id, HttpContext http) => server.Describe(id, http));
            app.MapPost("/assets/{id}/multipart", (string id, HttpContext http) => server.ReceiveAsync(id, http));
        });
        return server;
    }

    /// <summary>What upload_phase=start would create.</summary>
    public string CreateAsset(long fileSize)
    {
        var id = Guid.NewGuid().ToString("N");
        _assets[id] = new Asset(fileSize);
        return id;
    }

    /// <summary>The next <paramref name="count"/> chunks are stored, then their replies are lost with the connection.</summary>
    public void LoseRepliesAfterStoring(int count) => Interlocked.Exchange(ref _loseNextReplies, count);

    public (long Received, bool Finished, int Chunks, string Md5Hex) Inspect(string id)
    {
        var asset = _assets[id];
        lock (asset)
        {
            return (asset.Content.Length, asset.Finished, asset.Chunks, Convert.ToHexStringLower(MD5.HashData(asset.Content.ToArray())));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private IResult Describe(string id, HttpContext http)
    {
        if (!Authorized(http) || !_assets.TryGetValue(id, out var asset))
        {
            return Authorized(http) ? Results.NotFound() : Results.Json(new { error = "unauthorized" }, statusCode: 401);
        }

        lock (asset)
        {
            return Results.Json(new { id, source_file = Offsets(asset) });
        }
    }

    private async Task<IResult> ReceiveAsync(string id, HttpContext http)
    {
        if (!Authorized(http))
        {
            return Results.Json(new { error = "unauthorized" }, statusCode: 401);
        }

        if (!_assets.TryGetValue(id, out var asset))
        {
            return Results.NotFound();
        }

        if (http.Request.HasJsonContentType())
        {
            var phase = (await http.Request.ReadFromJsonAsync<Dictionary<string, string>>())?.GetValueOrDefault("upload_phase");
            lock (asset)
            {
                if (phase != "finish" || asset.Content.Length != asset.FileSize)
                {
                    return Results.BadRequest(new { error = $"cannot {phase} at {asset.Content.Length} of {asset.FileSize}" });
                }

                asset.Finished = true;
                return Results.Json(new { id, status = "processing" });
            }
        }

        var form = await http.Request.ReadFormAsync();
        var chunk = form.Files["file_chunk"];
        if (form["upload_phase"] != "transfer" || chunk is null || string.IsNullOrEmpty(form["original_name"]))
        {
            return Results.BadRequest(new { error = "expected upload_phase=transfer, original_name and file_chunk" });
        }

        var bytes = new MemoryStream();
        await chunk.CopyToAsync(bytes);
        object reply;
        lock (asset)
        {
            if (asset.Content.Length + bytes.Length > asset.FileSize)
            {
                return Results.BadRequest(new { error = "chunk runs past the declared file_size" });
            }

            // Appended where the server stands: the form carries no offset, which is why a client must never resend blindly.
            bytes.Position = 0;
            bytes.CopyTo(asset.Content);
            asset.LastChunkStart = asset.Content.Length - bytes.Length;
            asset.Chunks++;
            var offsets = Offsets(asset);
            reply = new { id, start_offset = offsets.StartOffset, end_offset = offsets.EndOffset };
        }

        if (Interlocked.Decrement(ref _loseNextReplies) >= 0)
        {
            http.Abort();
            return Results.Empty;
        }

        return Results.Json(reply);
    }

    private static bool Authorized(HttpContext http) => http.Request.Headers.Authorization == "Bearer " + Token;

    private static SourceFile Offsets(Asset asset) => new(asset.FileSize, asset.LastChunkStart, asset.Content.Length);

    private sealed record SourceFile(
        [property: JsonPropertyName("file_size")] long FileSize,
        [property: JsonPropertyName("start_offset")] long StartOffset,
        [property: JsonPropertyName("end_offset")] long EndOffset);

    private sealed class Asset(long fileSize)
    {
        public long FileSize { get; } = fileSize;

        public MemoryStream Content { get; } = new();

        public bool Finished { get; set; }

        public int Chunks { get; set; }

        public long LastChunkStart { get; set; }
    }
}
