using System.Net;
using System.Net.Http.Headers;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FunctionsUploader.Simulators;
using FunctionsUploader.Storage;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Tests.Simulators.Clients;

namespace FunctionsUploader.Tests.Simulators;

public sealed class MediaValetSimulatorTests(Simulator simulator) : IClassFixture<Simulator>
{
    [Fact]
    public async Task Upload_through_the_sas_then_fill_categorize_and_finalize_leaves_the_asset_with_the_bytes()
    {
        var tenant = simulator.NewTenant();
        var api = new MediaValetTestClient(simulator, tenant);
        await api.LogInAsync();
        var data = TestData.Bytes(3 * 1024 * 1024 + 5, seed: 11);
        var categoryId = Guid.NewGuid().ToString();

        var upload = await api.CreateUploadAsync("clip one.mp4");
        var blob = new BlockBlobClient(new Uri(upload.Text("uploadUrl")), BlobClients.Options(maxRetries: 0));
        await blob.StageBlockAsync(TestData.BlockId(0), new MemoryStream(data, 0, 2 * 1024 * 1024), new BlockBlobStageBlockOptions());
        await blob.StageBlockAsync(TestData.BlockId(1), new MemoryStream(data, 2 * 1024 * 1024, data.Length - 2 * 1024 * 1024), new BlockBlobStageBlockOptions());
        await blob.CommitBlockListAsync([TestData.BlockId(0), TestData.BlockId(1)]);
        var id = upload.Text("id");

        var filled = await api.CallAsync(HttpMethod.Put, $"uploads/{id}", new { filename = upload.Text("uploadFilename"), title = "Clip one", description = "First cut", fileSizeInBytes = data.Length });
        var categorized = await api.CallAsync(HttpMethod.Post, $"uploads/{id}/categories", new[] { categoryId });
        var attributed = await api.CallAsync(HttpMethod.Post, $"uploads/{id}/attributes", new { attributes = new { client = "Contoso" } });
        var keyworded = await api.CallAsync(HttpMethod.Post, $"uploads/{id}/keywords", new[] { "launch" });
        var finalized = await api.CallAsync(HttpMethod.Patch, $"uploads/{id}", new[] { new { op = "replace", path = "/status", value = 1 } });

        Assert.All([filled, categorized, attributed, keyworded, finalized], a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(1, finalized.Body.GetProperty("payload").GetProperty("status").GetInt32());
        Assert.Equal("1.0", finalized.Text("apiVersion"));
        var report = await simulator.InspectAsync(tenant, SimulatedVendor.MediaValet, id);
        Assert.Equal("Finalized", report.Status);
        Assert.Equal(data.Length, report.Size);
        Assert.Equal(TestData.Md5Hex(data), report.Md5);
        Assert.Equal([categoryId], report.Categories);
        Assert.Equal(["launch"], report.Keywords);
        Assert.Equal("Clip one", report.Metadata["title"]);
        Assert.Equal("Contoso", report.Metadata["attributes.client"]);
        Assert.Equal("clip one.mp4", Assert.Single(report.Versions).FileName);
        Assert.Contains(report.Requests, r => r.Method == "PATCH" && r.Path == $"/mediavalet/uploads/{id}" && r.Status == 200);
    }

    [Fact]
    public async Task Token_and_api_calls_without_the_right_credentials_are_refused()
    {
        var tenant = simulator.NewTenant();
        var mv = tenant.Credentials.MediaValet;
        var api = new MediaValetTestClient(simulator, tenant);

        var wrongSecret = await api.TokenAsync(("grant_type", "password"), ("username", mv.Username), ("password", mv.Password), ("scope", "openid api"), ("client_secret", "nope"));
        var wrongPassword = await api.TokenAsync(("grant_type", "password"), ("username", mv.Username), ("password", "nope"), ("scope", "openid api"), ("client_secret", mv.ClientSecret));
        await api.LogInAsync();
        var noKey = await api.CallAsync(HttpMethod.Post, "uploads", new { filename = "a.mp4" }, subscriptionKey: "");
        var badBearer = await VendorCall.JsonAsync(HttpMethod.Post, new Uri(simulator.Instance.MediaValet, "uploads"), new { filename = "a.mp4" }, r =>
        {
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
            r.Headers.Add("Ocp-Apim-Subscription-Key", mv.SubscriptionKey);
        });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.Status);
        Assert.Equal("invalid_client", wrongSecret.Text("error"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.Status);
        Assert.Equal("invalid_grant", wrongPassword.Text("error"));
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.Status);
        Assert.Contains("missing subscription key", noKey.Body.GetProperty("meta").GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, badBearer.Status);
    }

    [Fact]
    public async Task An_expired_access_token_is_refused_and_the_refresh_token_grant_issues_a_new_one()
    {
        var tenant = simulator.NewTenant(s => s.TokenLifetime = TimeSpan.FromMilliseconds(300));
        var api = new MediaValetTestClient(simulator, tenant);
        var login = await api.LogInAsync("openid api offline_access");
        Assert.Equal(1, login.Body.GetProperty("expires_in").GetInt32());

        await Task.Delay(TimeSpan.FromMilliseconds(600));
        var expired = await api.CallAsync(HttpMethod.Post, "uploads", new { filename = "a.mp4" });
        var refreshed = await api.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", login.Text("refresh_token")), ("client_secret", tenant.Credentials.MediaValet.ClientSecret));
        api.AccessToken = refreshed.Text("access_token");
        var retried = await api.CallAsync(HttpMethod.Post, "uploads", new { filename = "a.mp4" });

        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Contains("expired", expired.Body.GetProperty("meta").GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(HttpStatusCode.OK, retried.Status);
    }

    [Fact]
    public async Task Azurite_refuses_writes_to_an_upload_url_whose_sas_has_expired()
    {
        var tenant = simulator.NewTenant(s => s.SasLifetime = TimeSpan.FromSeconds(1));
        var api = new MediaValetTestClient(simulator, tenant);
        await api.LogInAsync();
        var upload = await api.CreateUploadAsync("late.mp4");
        var blob = new BlobClient(new Uri(upload.Text("uploadUrl")), BlobClients.Options(maxRetries: 0));
        await blob.UploadAsync(BinaryData.FromBytes(new byte[10]), overwrite: true);

        await Task.Delay(TimeSpan.FromSeconds(3)); // the SAS lives 1 to 2 s: its expiry is rounded up to a whole second
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromBytes(new byte[10]), overwrite: true));

        Assert.Equal(403, refused.Status);
    }

    [Fact]
    public async Task Fill_and_finalize_are_refused_unless_the_committed_blob_has_the_declared_size()
    {
        var tenant = simulator.NewTenant();
        var api = new MediaValetTestClient(simulator, tenant);
        await api.LogInAsync();
        var upload = await api.CreateUploadAsync("short.mp4");
        var id = upload.Text("id");
        var fill = new { filename = upload.Text("uploadFilename"), title = "Short", fileSizeInBytes = 100 };
        var finalize = new[] { new { op = "replace", path = "/status", value = 1 } };

        var beforeUpload = await api.CallAsync(HttpMethod.Put, $"uploads/{id}", fill);
        var finalizeUnfilled = await api.CallAsync(HttpMethod.Patch, $"uploads/{id}", finalize);
        await new BlobClient(new Uri(upload.Text("uploadUrl")), BlobClients.Options(maxRetries: 0)).UploadAsync(BinaryData.FromBytes(new byte[99]), overwrite: true);
        var wrongSize = await api.CallAsync(HttpMethod.Put, $"uploads/{id}", fill);
        var wrongName = await api.CallAsync(HttpMethod.Put, $"uploads/{id}", new { filename = "short.mp4", title = "Short", fileSizeInBytes = 99 });
        var rightSize = await api.CallAsync(HttpMethod.Put, $"uploads/{id}", new { filename = upload.Text("uploadFilename"), title = "Short", fileSizeInBytes = 99 });
        var badPatch = await api.CallAsync(HttpMethod.Patch, $"uploads/{id}", new[] { new { op = "replace", path = "/title", value = 1 } });
        var finalized = await api.CallAsync(HttpMethod.Patch, $"uploads/{id}", finalize);

        Assert.Equal(HttpStatusCode.BadRequest, beforeUpload.Status);
        Assert.Equal(HttpStatusCode.BadRequest, finalizeUnfilled.Status);
        Assert.Equal(HttpStatusCode.BadRequest, wrongSize.Status);
        Assert.Contains("has 99 bytes", wrongSize.Body.GetProperty("meta").GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongName.Status);
        Assert.Equal(HttpStatusCode.OK, rightSize.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badPatch.Status);
        Assert.Equal(HttpStatusCode.OK, finalized.Status);
    }

    [Fact]
    public async Task Cancelling_an_upload_deletes_its_blob_and_the_upload()
    {
        var tenant = simulator.NewTenant();
        var api = new MediaValetTestClient(simulator, tenant);
        await api.LogInAsync();
        var upload = await api.CreateUploadAsync("gone.mp4");
        var id = upload.Text("id");
        var blob = new BlobClient(new Uri(upload.Text("uploadUrl")), BlobClients.Options(maxRetries: 0));
        await blob.UploadAsync(BinaryData.FromBytes(new byte[10]), overwrite: true);

        var cancelled = await api.CallAsync(HttpMethod.Delete, $"uploads/{id}", null);
        var afterwards = await api.CallAsync(HttpMethod.Get, $"uploads/{id}", null);

        Assert.Equal(HttpStatusCode.NoContent, cancelled.Status);
        Assert.Equal(HttpStatusCode.NotFound, afterwards.Status);
        var report = await simulator.InspectAsync(tenant, SimulatedVendor.MediaValet, id);
        Assert.Equal("Cancelled", report.Status);
        Assert.Null(report.Md5);
    }

    [Fact]
    public async Task Check_out_and_check_in_add_a_version_with_the_new_bytes()
    {
        var tenant = simulator.NewTenant();
        var api = new MediaValetTestClient(simulator, tenant);
        await api.LogInAsync();
        var first = TestData.Bytes(1000, seed: 12);
        var second = TestData.Bytes(2000, seed: 13);
        var id = await api.UploadAsync("logo.png", first);

        var checkOut = await api.CallAsync(HttpMethod.Post, $"assets/{id}/checkOut", new[] { "new colours" });
        await using var download = (await new BlobClient(new Uri(checkOut.Body.GetProperty("payload").GetProperty("downloadUrl").GetString()!), BlobClients.Options(maxRetries: 0)).DownloadStreamingAsync()).Value.Content;
        Assert.Equal(first, await TestData.ReadAllAsync(download));
        var uploadUrlTooEarly = await api.CallAsync(HttpMethod.Get, $"assets/{id}/checkIn/uploadUrl", null);
        var validated = await api.CallAsync(HttpMethod.Post, $"assets/{id}/checkIn/validate", new { fileName = "logo-v2.png" });
        var access = (await api.CallAsync(HttpMethod.Get, $"assets/{id}/checkIn/uploadUrl", null)).Body.GetProperty("payload");
        await new BlobClient(new Uri(access.GetProperty("uploadUrl").GetString()!), BlobClients.Options(maxRetries: 0)).UploadAsync(BinaryData.FromBytes(second), overwrite: true);
        var checkIn = await api.CallAsync(HttpMethod.Put, $"assets/{id}/checkIn", new
        {
            id,
            uploadUrl = access.GetProperty("uploadUrl").GetString(),
            uploadFileName = access.GetProperty("uploadFileName").GetString(),
            mediaFileId = access.GetProperty("mediaFileId").GetString(),
            status = 0,
            comment = "v2",
            fileSizeInBytes = second.Length,
            fileName = "logo.png",
        });

        Assert.Equal(HttpStatusCode.OK, checkOut.Status);
        Assert.Equal(HttpStatusCode.Conflict, uploadUrlTooEarly.Status);
        Assert.Equal(HttpStatusCode.OK, validated.Status);
        Assert.Equal(HttpStatusCode.Accepted, checkIn.Status);
        var report = await simulator.InspectAsync(tenant, SimulatedVendor.MediaValet, id);
        Assert.Equal("Finalized", report.Status);
        Assert.Equal(TestData.Md5Hex(second), report.Md5);
        Assert.Equal([(1, TestData.Md5Hex(first)), (2, TestData.Md5Hex(second))], report.Versions.Select(v => (v.Version, v.Md5!)));
        Assert.Equal("logo-v2.png", report.Versions[1].FileName);
    }

    [Fact]
    public async Task The_finalize_patch_is_refused_with_415_unless_it_is_sent_as_application_json()
    {
        var tenant = simulator.NewTenant();
        var api = new MediaValetTestClient(simulator, tenant);
        await api.LogInAsync();
        var upload = await api.CreateUploadAsync("typed.mp4");
        var id = upload.Text("id");
        await BlobClients.ForSasUri(new Uri(upload.Text("uploadUrl")), BlobClients.Options(maxRetries: 0)).UploadAsync(new MemoryStream(new byte[5]), new Azure.Storage.Blobs.Models.BlobUploadOptions());
        await api.CallAsync(HttpMethod.Put, $"uploads/{id}", new { filename = upload.Text("uploadFilename"), title = "Typed", fileSizeInBytes = 5 });
        const string patch = """[{"op":"replace","path":"/status","value":1}]""";

        var jsonPatch = await VendorCall.SendAsync(HttpMethod.Patch, new Uri(simulator.Instance.MediaValet, $"uploads/{id}"),
            new StringContent(patch, System.Text.Encoding.UTF8, "application/json-patch+json"), r =>
            {
                r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", api.AccessToken);
                r.Headers.Add("Ocp-Apim-Subscription-Key", tenant.Credentials.MediaValet.SubscriptionKey);
            });
        var json = await api.CallAsync(HttpMethod.Patch, $"uploads/{id}", new[] { new { op = "replace", path = "/status", value = 1 } });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, jsonPatch.Status);
        Assert.Equal(HttpStatusCode.OK, json.Status);
    }
}
