using System.Security.Cryptography;

namespace FunctionsUploader.Simulators.Tenants;

/// <summary>
/// One tenant's credentials for the four simulated vendors. The defaults are the well-known development
/// credentials of the "default" tenant (documented in the README, like Azurite's key); they are not secrets
/// anywhere else. ToString never prints a secret.
/// </summary>
public sealed class TenantCredentials
{
    public MediaValetCredentials MediaValet { get; set; } = new();

    public PicovicoCredentials Picovico { get; set; } = new();

    public PreprCredentials Prepr { get; set; } = new();

    public PanoptoCredentials Panopto { get; set; } = new();

    /// <summary>Fresh random credentials, so one tenant can never authenticate as another.</summary>
    internal static TenantCredentials Generate(string tenantId) => new()
    {
        MediaValet = new MediaValetCredentials
        {
            ClientId = $"mediavalet-{tenantId}",
            ClientSecret = Secret(),
            Username = $"{tenantId}@mediavalet.example",
            Password = Secret(),
            SubscriptionKey = Secret(),
        },
        Picovico = new PicovicoCredentials
        {
            AppId = $"picovico-{tenantId}",
            AppSecret = Secret(),
            Username = $"{tenantId}@picovico.example",
            Password = Secret(),
        },
        Prepr = new PreprCredentials { AccessToken = Secret() },
        Panopto = new PanoptoCredentials
        {
            ClientId = $"panopto-{tenantId}",
            ClientSecret = Secret(),
            Username = $"{tenantId}@panopto.example",
            Password = Secret(),
        },
    };

    public override string ToString() => "TenantCredentials(redacted)";

    private static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

public sealed class MediaValetCredentials
{
    public string ClientId { get; set; } = "mediavalet-sim-client";

    public string ClientSecret { get; set; } = "mediavalet-sim-secret";

    public string Username { get; set; } = "sim-user@mediavalet.example";

    public string Password { get; set; } = "mediavalet-sim-password";

    /// <summary>The APIM key every API call sends as Ocp-Apim-Subscription-Key.</summary>
    public string SubscriptionKey { get; set; } = "mediavalet-sim-subscription-key";

    public override string ToString() => $"MediaValetCredentials({ClientId})";
}

public sealed class PicovicoCredentials
{
    /// <summary>Sent as X-PV-Meta-App on every call (or app_id when logging in).</summary>
    public string AppId { get; set; } = "picovico-sim-app";

    public string AppSecret { get; set; } = "picovico-sim-app-secret";

    public string Username { get; set; } = "sim-user@picovico.example";

    public string Password { get; set; } = "picovico-sim-password";

    public override string ToString() => $"PicovicoCredentials({AppId})";
}

public sealed class PreprCredentials
{
    /// <summary>Prepr's static access token (Authorization: Bearer, or ?access_token=).</summary>
    public string AccessToken { get; set; } = "prepr-sim-access-token";

    public override string ToString() => "PreprCredentials(redacted)";
}

public sealed class PanoptoCredentials
{
    public string ClientId { get; set; } = "panopto-sim-client";

    public string ClientSecret { get; set; } = "panopto-sim-secret";

    public string Username { get; set; } = "sim-user@panopto.example";

    public string Password { get; set; } = "panopto-sim-password";

    /// <summary>
    /// The S3 keys for the UploadTarget. Panopto's own target takes any ("dummy"); the simulator's target is the
    /// S3 server it stores into (s3rver wants its own key id), so connectors must take these from configuration.
    /// </summary>
    public string UploadAccessKey { get; set; } = "dummy";

    public string UploadSecretKey { get; set; } = "dummy";

    public override string ToString() => $"PanoptoCredentials({ClientId})";
}
