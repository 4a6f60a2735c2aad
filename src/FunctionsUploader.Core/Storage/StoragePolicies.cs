using System.Text;
using System.Web;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsUploader.Storage;

/// <summary>Stamps every attempt with the service version and a fresh x-ms-date (required by every auth scheme).</summary>
internal sealed class StorageHeadersPolicy : HttpPipelineSynchronousPolicy
{
    /// <summary>Service version: 2019-12-12 or later lifts block limits to 4000 MiB and Put Blob to 5000 MiB.</summary>
    public const string ServiceVersion = "2025-01-05";

    public override void OnSendingRequest(HttpMessage message)
    {
        message.Request.Headers.SetValue("x-ms-version", ServiceVersion);
        message.Request.Headers.SetValue("x-ms-date", DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture));
    }
}

/// <summary>Signs each attempt with the account key (Shared Key authorization for the Blob service).</summary>
internal sealed class SharedKeyPolicy(StorageSharedKey key) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var stringToSign = BuildStringToSign(request);
        request.Headers.SetValue("Authorization", $"SharedKey {key.AccountName}:{key.Sign(stringToSign)}");
    }

    private string BuildStringToSign(Request request)
    {
        string Header(string name) => request.Headers.TryGetValue(name, out var value) ? value : string.Empty;

        var contentLength = request.Content is { } content && content.TryComputeLength(out var length) && length > 0
            ? length.ToString(CultureInfo.InvariantCulture)
            : string.Empty;

        var builder = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(Header("Content-Encoding")).Append('\n')
            .Append(Header("Content-Language")).Append('\n')
            .Append(contentLength).Append('\n')
            .Append(Header("Content-MD5")).Append('\n')
            .Append(Header("Content-Type")).Append('\n')
            .Append('\n') // Date: x-ms-date is used instead.
            .Append(Header("If-Modified-Since")).Append('\n')
            .Append(Header("If-Match")).Append('\n')
            .Append(Header("If-None-Match")).Append('\n')
            .Append(Header("If-Unmodified-Since")).Append('\n')
            .Append(Header("Range")).Append('\n');

        foreach (var header in request.Headers
                     .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Name.ToLowerInvariant(), h.Value))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(header.Name).Append(':').Append(header.Value.Trim()).Append('\n');
        }

        var uri = request.Uri.ToUri();
        builder.Append('/').Append(key.AccountName).Append(uri.AbsolutePath);
        var query = HttpUtility.ParseQueryString(uri.Query);
        foreach (var name in query.AllKeys.Where(k => k is not null).Select(k => k!).OrderBy(k => k.ToLowerInvariant(), StringComparer.Ordinal))
        {
            var values = query.GetValues(name)!.OrderBy(v => v, StringComparer.Ordinal);
            builder.Append('\n').Append(name.ToLowerInvariant()).Append(':').Append(string.Join(',', values));
        }

        return builder.ToString();
    }
}

/// <summary>Adds a SAS's parameters to each request that does not carry them yet.</summary>
internal sealed class SasPolicy(string sas) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var query = message.Request.Uri.Query;
        if (query.Contains("sig=", StringComparison.Ordinal))
        {
            return;
        }

        message.Request.Uri.Query = string.IsNullOrEmpty(query) || query == "?" ? "?" + sas : query + "&" + sas;
    }
}
