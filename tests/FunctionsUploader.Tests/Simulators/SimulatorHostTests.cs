using System.Net;
using System.Net.Http.Json;
using FunctionsUploader.Simulators.Tenants;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Tests.Simulators.Clients;
using Microsoft.Extensions.Logging;

namespace FunctionsUploader.Tests.Simulators;

public sealed class SimulatorHostTests(Simulator simulator) : IClassFixture<Simulator>
{
    [Fact]
    public async Task Tenants_created_over_http_take_settings_and_answer_their_credentials()
    {
        using var created = await Simulator.Http.PostAsJsonAsync(simulator.Admin("tenants"), new { preprChunkSize = 1000, tokenLifetime = "00:00:30" });
        var tenant = await created.Content.ReadFromJsonAsync<SimulatorTenant>();
        var again = await Simulator.Http.GetFromJsonAsync<SimulatorTenant>(simulator.Admin($"tenants/{tenant!.Id}"));
        using var unknownSetting = await Simulator.Http.PostAsJsonAsync(simulator.Admin("tenants"), new { chunkSize = 1 });
        using var badValue = await Simulator.Http.PostAsJsonAsync(simulator.Admin("tenants"), new { processingPolls = -1 });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(1000, tenant.Settings.PreprChunkSize);
        Assert.Equal(TimeSpan.FromSeconds(30), tenant.Settings.TokenLifetime);
        Assert.Equal(TimeSpan.FromHours(24), tenant.Settings.SasLifetime);
        Assert.Equal(tenant.Credentials.Prepr.AccessToken, again!.Credentials.Prepr.AccessToken);
        Assert.Equal(HttpStatusCode.BadRequest, unknownSetting.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badValue.StatusCode);
        var prepr = new PreprTestClient(simulator, tenant);
        var id = (await prepr.StartAsync(5000)).Text("id");
        Assert.Equal(HttpStatusCode.BadRequest, (await prepr.TransferAsync(id, new byte[1001])).Status);
        Assert.Equal(HttpStatusCode.OK, (await prepr.TransferAsync(id, new byte[1000])).Status);
    }

    [Fact]
    public async Task The_simulator_logs_no_credential_token_or_signature()
    {
        var logs = new CapturedLogs();
        await using var own = await Simulator.StartAsync(o => o.ConfigureLogging = l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var tenant = own.DefaultTenant;
        var credentials = tenant.Credentials;
        var secrets = new List<string>
        {
            credentials.MediaValet.ClientSecret, credentials.MediaValet.Password, credentials.MediaValet.SubscriptionKey,
            credentials.Picovico.AppSecret, credentials.Picovico.Password, credentials.Prepr.AccessToken,
            credentials.Panopto.ClientSecret, credentials.Panopto.Password, "sig=", "X-Amz-Signature",
        };

        var mediaValetToken = await VendorCall.FormAsync(new Uri(own.MediaValet, "connect/token"),
        [
            KeyValuePair.Create("grant_type", "password"), KeyValuePair.Create("client_id", credentials.MediaValet.ClientId), KeyValuePair.Create("client_secret", credentials.MediaValet.ClientSecret),
            KeyValuePair.Create("username", credentials.MediaValet.Username), KeyValuePair.Create("password", credentials.MediaValet.Password), KeyValuePair.Create("scope", "openid api offline_access"),
        ]);
        secrets.Add(mediaValetToken.Text("access_token"));
        secrets.Add(mediaValetToken.Text("refresh_token"));
        var upload = await VendorCall.JsonAsync(HttpMethod.Post, new Uri(own.MediaValet, "uploads"), new { filename = "a.mp4" }, r =>
        {
            r.Headers.Authorization = new("Bearer", mediaValetToken.Text("access_token"));
            r.Headers.Add("Ocp-Apim-Subscription-Key", credentials.MediaValet.SubscriptionKey);
        });
        var wrongLogin = await VendorCall.FormAsync(new Uri(own.Picovico, "login"),
            [KeyValuePair.Create("username", credentials.Picovico.Username), KeyValuePair.Create("password", "wrong-" + credentials.Picovico.Password), KeyValuePair.Create("app_id", credentials.Picovico.AppId)]);
        var picovico = await VendorCall.FormAsync(new Uri(own.Picovico, "login/app"), [KeyValuePair.Create("app_id", credentials.Picovico.AppId), KeyValuePair.Create("app_secret", credentials.Picovico.AppSecret)]);
        secrets.Add(PicovicoTestClient.Field(picovico, "access_token"));
        var urls = await VendorCall.SendAsync(HttpMethod.Get, new Uri(own.Picovico, $"me/directupload/videoclip/{TestData.Md5Hex([1])}/?size=1"), headers: r =>
        {
            r.Headers.Add("X-Access-Key", PicovicoTestClient.Field(picovico, "access_key"));
            r.Headers.Add("X-Access-Token", PicovicoTestClient.Field(picovico, "access_token"));
            r.Headers.Add("X-PV-Meta-App", credentials.Picovico.AppId);
        });
        var prepr = await VendorCall.JsonAsync(HttpMethod.Post, new Uri(own.Prepr, $"assets?access_token={credentials.Prepr.AccessToken}"), new { label = "Video", upload_phase = "start", file_size = "1" });

        Assert.Equal(HttpStatusCode.OK, upload.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongLogin.Status);
        Assert.Equal(HttpStatusCode.OK, urls.Status);
        Assert.Equal(HttpStatusCode.Created, prepr.Status);
        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, l => l.Contains("/prepr/assets", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Credentials_never_print_their_secrets()
    {
        var tenant = simulator.NewTenant();
        var printed = string.Join(' ', tenant.ToString(), tenant.Credentials.MediaValet, tenant.Credentials.Picovico, tenant.Credentials.Prepr, tenant.Credentials.Panopto);

        Assert.DoesNotContain(tenant.Credentials.MediaValet.ClientSecret, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(tenant.Credentials.Prepr.AccessToken, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(tenant.Credentials.Panopto.Password, printed, StringComparison.Ordinal);
        Assert.Contains(tenant.Id, printed, StringComparison.Ordinal);
    }
}
