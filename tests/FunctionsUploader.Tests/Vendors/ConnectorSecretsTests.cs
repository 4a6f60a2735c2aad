using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Transfer;
using FunctionsUploader.Vendors;
using FunctionsUploader.Vendors.MediaValet;
using FunctionsUploader.Vendors.Panopto;
using FunctionsUploader.Vendors.Picovico;
using FunctionsUploader.Vendors.Prepr;
using FunctionsUploader.Workflow;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Tests.Vendors;

/// <summary>Every connector through every step, with token renewal and refused credentials: what crossed the wire stays out of logs and errors.</summary>
public sealed class ConnectorSecretsTests(Simulator simulator) : IClassFixture<Simulator>
{
    [Fact]
    public async Task No_password_secret_key_token_or_signature_reaches_a_log_line_an_error_or_a_printed_session()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = 1024 * 1024);
        await simulator.AddFaultAsync(tenant, new { vendor = "mediavalet", operation = "updateUpload", expireTokens = true });
        await simulator.AddFaultAsync(tenant, new { vendor = "picovico", operation = "completeUpload", expireTokens = true });
        await simulator.AddFaultAsync(tenant, new { vendor = "panopto", operation = "getSessionUpload", expireTokens = true });
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "transfer", nth = 2, status = 503 });
        var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var wire = new WireSecrets();
        using var http = new HttpClient(wire);
        var mediaValetOptions = SimulatedConnectors.MediaValetOptions(simulator, tenant);
        mediaValetOptions.Scope = "openid api offline_access";
        var picovicoOptions = SimulatedConnectors.PicovicoOptions(simulator, tenant);
        var preprOptions = SimulatedConnectors.PreprOptions(simulator, tenant);
        var panoptoOptions = SimulatedConnectors.PanoptoOptions(simulator, tenant);
        panoptoOptions.Scope = "openid api offline_access";
        IVendorConnector[] connectors =
        [
            new MediaValetConnector(mediaValetOptions, http, ConnectorRun.QuickTransfer, loggers),
            new PicovicoConnector(picovicoOptions, http, http, ConnectorRun.QuickTransfer, loggers),
            new PreprConnector(preprOptions, http, http, ConnectorRun.QuickTransfer, loggers),
            new PanoptoConnector(panoptoOptions, http, ConnectorRun.QuickTransfer, loggers),
        ];
        var data = TestData.Bytes(6 * 1024 * 1024, seed: 501);
        using var file = LocalSourceFile.Write(data);
        var details = new UploadDetails { Title = "t", Metadata = new Dictionary<string, string> { ["k"] = "v" }, Categories = [Guid.NewGuid().ToString()] };

        var printed = new List<string> { mediaValetOptions.ToString(), picovicoOptions.ToString(), preprOptions.ToString(), panoptoOptions.ToString() };
        foreach (var connector in connectors)
        {
            var run = await ConnectorRun.AllStepsAsync(connector, file.Source, ConnectorRun.Opening("clip.mp4", data, details), loggers);
            printed.Add(run.Session.ToString());
            printed.Add(run.Commit!.ToString());
            if (run.Session.Target is AzureBlobSasTargetSpec sas)
            {
                wire.NoteSignatures(sas.UploadUrl);
            }
        }

        var refusals = new IVendorConnector[]
        {
            SimulatedConnectors.MediaValet(simulator, tenant, o => o.ClientSecret = "wrong-secret", loggers, http),
            SimulatedConnectors.MediaValet(simulator, tenant, o => o.SubscriptionKey = "wrong-key", loggers, http),
            SimulatedConnectors.Picovico(simulator, tenant, o => o.Password = "wrong-password", loggers, http),
            SimulatedConnectors.Prepr(simulator, tenant, o => o.AccessToken = "wrong-token", loggers, http),
            SimulatedConnectors.Panopto(simulator, tenant, o => o.ClientSecret = "wrong-secret", loggers, http),
        };
        foreach (var connector in refusals)
        {
            printed.Add((await Assert.ThrowsAsync<VendorApiException>(() => connector.OpenAsync(ConnectorRun.Opening("clip.mp4", data)))).ToString());
        }

        var mv = tenant.Credentials.MediaValet;
        var panopto = tenant.Credentials.Panopto;
        var secrets = wire.Seen
            .Concat([mv.ClientSecret, mv.Password, mv.SubscriptionKey, tenant.Credentials.Picovico.Password, tenant.Credentials.Prepr.AccessToken])
            .Concat([panopto.ClientSecret, panopto.Password])
            // s3rver's key pair is S3RVER/S3RVER: its secret is also the access key id, which is no secret and is printed.
            .Concat(panopto.UploadSecretKey == panopto.UploadAccessKey ? [] : [panopto.UploadSecretKey])
            .Concat(["wrong-secret", "wrong-key", "wrong-password", "wrong-token", "sig=", "X-Amz-Signature"])
            .Distinct()
            .ToList();
        Assert.True(wire.Seen.Count >= 8, $"only {wire.Seen.Count} secrets crossed the wire: the run did not log in, renew and upload");
        Assert.Contains(logs.Lines, l => l.Contains("Opened MediaValet upload", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("Opened Picovico direct upload", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("Opened Prepr upload", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("Opened Panopto upload", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("Fetched a MediaValet access token by the refresh_token grant", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("Fetched a Panopto access token by the refresh_token grant", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("Sent part 2", StringComparison.Ordinal));
        foreach (var text in logs.Lines.Concat(printed))
        {
            Assert.DoesNotContain(secrets, s => text.Contains(s, StringComparison.Ordinal));
        }
    }
}
