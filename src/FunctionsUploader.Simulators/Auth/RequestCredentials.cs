using System.Net.Http.Headers;
using System.Text;

namespace FunctionsUploader.Simulators.Auth;

/// <summary>Reads the credentials a request carries in its headers.</summary>
internal static class RequestCredentials
{
    /// <summary>The token of "Authorization: Bearer &lt;token&gt;", or null.</summary>
    public static string? Bearer(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header) &&
        string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(header.Parameter)
            ? header.Parameter
            : null;

    /// <summary>The client id and secret of "Authorization: Basic base64(id:secret)", or null.</summary>
    public static (string Id, string Secret)? Basic(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header) ||
            !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(header.Parameter))
        {
            return null;
        }

        var buffer = new byte[header.Parameter.Length];
        if (!Convert.TryFromBase64String(header.Parameter, buffer, out var written))
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(buffer, 0, written);
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : (Uri.UnescapeDataString(pair[..colon]), Uri.UnescapeDataString(pair[(colon + 1)..]));
    }

    /// <summary>The form of a form-encoded request (read once, then cached by ASP.NET Core); empty for other content.</summary>
    public static async Task<IFormCollection> FormAsync(HttpRequest request) =>
        request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : FormCollection.Empty;
}
