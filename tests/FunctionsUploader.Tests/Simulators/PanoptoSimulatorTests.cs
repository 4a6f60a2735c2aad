using System.Net;
using System.Text;
using FunctionsUploader.Simulators;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Tests.Simulators.Clients;

namespace FunctionsUploader.Tests.Simulators;

public sealed class PanoptoSimulatorTests(Simulator simulator) : IClassFixture<Simulator>
{
    private const string Ucs = "http://tempuri.org/UniversalCaptureSpecification/v1";

    [Fact]
    public async Task Media_and_manifest_uploaded_to_the_target_then_state_1_move_through_processing_to_complete()
    {
        var tenant = simulator.NewTenant();
        var api = new PanoptoTestClient(simulator, tenant);
        await api.LogInAsync();
        var video = TestData.Bytes(5 * 1024 * 1024 + 1000, seed: 41);
        var folderId = Guid.NewGuid();

        var created = await api.CallAsync(HttpMethod.Post, "sessionUpload", new { FolderId = folderId });
        var target = created.Text("UploadTarget");
        await using (var upload = api.UploadTarget(target))
        {
            await upload.PutMultipartAsync("lecture.mp4", video, 5 * 1024 * 1024);
            await upload.PutMultipartAsync("session.xml", Manifest("lecture.mp4"), 5 * 1024 * 1024);
        }

        var finished = await api.FinishAsync(created);
        var processing = await api.CallAsync(HttpMethod.Get, $"sessionUpload/{created.Text("ID")}");
        var complete = await api.CallAsync(HttpMethod.Get, $"sessionUpload/{created.Text("ID")}");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(0, created.Body.GetProperty("State").GetInt32());
        Assert.Equal(JsonValueKindNull, created.Body.GetProperty("SessionId").ValueKind);
        Assert.Equal(folderId.ToString(), created.Text("FolderId"));
        Assert.Equal(1, finished.Body.GetProperty("State").GetInt32());
        Assert.Equal(3, processing.Body.GetProperty("State").GetInt32());
        Assert.NotNull(processing.Body.GetProperty("SessionId").GetString());
        Assert.Equal(4, complete.Body.GetProperty("State").GetInt32());
        var report = await simulator.InspectAsync(tenant, SimulatedVendor.Panopto, created.Text("ID"));
        Assert.Equal("Complete", report.Status);
        Assert.Equal("lecture.mp4", report.FileName);
        Assert.Equal((long)video.Length, report.Size);
        Assert.Equal(TestData.Md5Hex(video), report.Md5);
        Assert.Equal("Lecture one", report.Metadata["Title"]);
        Assert.Equal(["lecture.mp4", "session.xml"], report.Files.Select(f => f.Name));
    }

    [Theory]
    [InlineData("none", "No manifest")]
    [InlineData("missing-file", "which was not uploaded")]
    [InlineData("wrong-namespace", "not <Session>")]
    [InlineData("malformed", "not well-formed XML")]
    [InlineData("no-start", "valid <Start>")]
    public async Task A_bad_or_missing_manifest_ends_in_processing_error_with_a_message(string manifest, string message)
    {
        var tenant = simulator.NewTenant();
        var api = new PanoptoTestClient(simulator, tenant);
        await api.LogInAsync();
        var created = await api.CallAsync(HttpMethod.Post, "sessionUpload", new { FolderId = Guid.NewGuid() });
        await using (var upload = api.UploadTarget(created.Text("UploadTarget")))
        {
            await upload.PutMultipartAsync("lecture.mp4", TestData.Bytes(1000, seed: 42), 5 * 1024 * 1024);
            var xml = manifest switch
            {
                "missing-file" => Manifest("other.mp4"),
                "wrong-namespace" => Encoding.UTF8.GetBytes("<Session><Title>x</Title></Session>"),
                "malformed" => Encoding.UTF8.GetBytes($"<Session xmlns=\"{Ucs}\"><Title>x</Session>"),
                "no-start" => Encoding.UTF8.GetBytes($"<Session xmlns=\"{Ucs}\"><Title>x</Title><Videos><Video><File>lecture.mp4</File></Video></Videos></Session>"),
                _ => null,
            };
            if (xml is not null)
            {
                await upload.PutMultipartAsync("session.xml", xml, 5 * 1024 * 1024);
            }
        }

        var finished = await api.FinishAsync(created);
        var polled = await api.CallAsync(HttpMethod.Get, $"sessionUpload/{created.Text("ID")}");

        Assert.Equal(HttpStatusCode.OK, finished.Status);
        Assert.Equal(5, polled.Body.GetProperty("State").GetInt32());
        Assert.Contains(message, polled.Text("Message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_moves_through_deleting_to_deleted_and_removes_the_files()
    {
        var tenant = simulator.NewTenant();
        var api = new PanoptoTestClient(simulator, tenant);
        await api.LogInAsync();
        var created = await api.CallAsync(HttpMethod.Post, "sessionUpload", new { FolderId = Guid.NewGuid() });
        await using (var upload = api.UploadTarget(created.Text("UploadTarget")))
        {
            await upload.PutMultipartAsync("lecture.mp4", TestData.Bytes(1000, seed: 43), 5 * 1024 * 1024);
        }

        var cancelled = await api.CallAsync(HttpMethod.Delete, $"sessionUpload/{created.Text("ID")}");
        var deleting = await api.CallAsync(HttpMethod.Get, $"sessionUpload/{created.Text("ID")}");
        var deleted = await api.CallAsync(HttpMethod.Get, $"sessionUpload/{created.Text("ID")}");
        var finishAfterCancel = await api.FinishAsync(created);

        Assert.Equal(2, cancelled.Body.GetProperty("State").GetInt32());
        Assert.Equal(6, deleting.Body.GetProperty("State").GetInt32());
        Assert.Equal(7, deleted.Body.GetProperty("State").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, finishAfterCancel.Status);
        Assert.Empty((await simulator.InspectAsync(tenant, SimulatedVendor.Panopto, created.Text("ID"))).Files);
    }

    [Fact]
    public async Task Finishing_needs_the_whole_object_with_state_1_and_calls_need_a_live_bearer_token()
    {
        var tenant = simulator.NewTenant();
        var api = new PanoptoTestClient(simulator, tenant);
        var login = await api.LogInAsync("openid api offline_access");
        var created = await api.CallAsync(HttpMethod.Post, "sessionUpload", new { FolderId = Guid.NewGuid() });

        var onlyState = await api.CallAsync(HttpMethod.Put, $"sessionUpload/{created.Text("ID")}", new { State = 1 });
        var wrongState = await api.CallAsync(HttpMethod.Put, $"sessionUpload/{created.Text("ID")}", new { ID = created.Text("ID"), FolderId = created.Text("FolderId"), UploadTarget = created.Text("UploadTarget"), State = 4 });
        var noFolder = await api.CallAsync(HttpMethod.Post, "sessionUpload", new { });
        var noToken = await VendorCall.SendAsync(HttpMethod.Get, new Uri(simulator.Instance.Panopto, $"Panopto/PublicAPI/REST/sessionUpload/{created.Text("ID")}"));
        await simulator.AddFaultAsync(tenant, new { vendor = "panopto", operation = "getSessionUpload", expireTokens = true });
        var expired = await api.CallAsync(HttpMethod.Get, $"sessionUpload/{created.Text("ID")}");
        var refreshed = await VendorCall.FormAsync(new Uri(simulator.Instance.Panopto, "Panopto/oauth2/connect/token"),
        [
            KeyValuePair.Create("grant_type", "refresh_token"),
            KeyValuePair.Create("refresh_token", login.Text("refresh_token")),
            KeyValuePair.Create("client_id", tenant.Credentials.Panopto.ClientId),
            KeyValuePair.Create("client_secret", tenant.Credentials.Panopto.ClientSecret),
        ]);
        api.AccessToken = refreshed.Text("access_token");
        var afterRefresh = await api.CallAsync(HttpMethod.Get, $"sessionUpload/{created.Text("ID")}");

        Assert.Equal(HttpStatusCode.BadRequest, onlyState.Status);
        Assert.Equal(HttpStatusCode.BadRequest, wrongState.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noFolder.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal(HttpStatusCode.OK, afterRefresh.Status);
        Assert.Equal(0, afterRefresh.Body.GetProperty("State").GetInt32());
    }

    private static readonly System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private static byte[] Manifest(string file) => Encoding.UTF8.GetBytes($"""
        <?xml version="1.0" encoding="utf-8"?>
        <Session xmlns="{Ucs}">
          <Title>Lecture one</Title>
          <Description/>
          <Date>2025-01-15T00:00:00Z</Date>
          <ThumbnailTime>PT5S</ThumbnailTime>
          <Videos>
            <Video><Start>PT0S</Start><File>{file}</File><Type>Primary</Type></Video>
          </Videos>
        </Session>
        """);

    [Fact]
    public async Task The_upload_target_refuses_parts_above_25_MB_small_parts_before_the_last_and_etags_it_did_not_give()
    {
        var tenant = simulator.NewTenant();
        var api = new PanoptoTestClient(simulator, tenant);
        await api.LogInAsync();
        var created = await api.CallAsync(HttpMethod.Post, "sessionUpload", new { FolderId = Guid.NewGuid() });
        await using var upload = api.UploadTarget(created.Text("UploadTarget"));

        var tooLarge = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => upload.PutMultipartAsync("large.mp4", new byte[25_000_001], 25_000_001));
        var tooSmall = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => upload.PutMultipartAsync("small.mp4", new byte[3 * 1024 * 1024], 1024 * 1024));
        var forged = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => upload.PutMultipartAsync("forged.mp4", new byte[100], 100, (_, _) => "\"0123456789abcdef0123456789abcdef\""));
        await upload.PutMultipartAsync("fine.mp4", new byte[(5 * 1024 * 1024) + 10], 5 * 1024 * 1024);

        Assert.Equal("EntityTooLarge", tooLarge.ErrorCode);
        Assert.Equal("EntityTooSmall", tooSmall.ErrorCode);
        Assert.Equal("InvalidPart", forged.ErrorCode);
    }

    [Fact]
    public async Task With_opaque_etags_the_upload_target_answers_part_etags_that_are_not_md5_and_takes_them_back()
    {
        var tenant = simulator.NewTenant(s => s.PanoptoOpaqueETags = true);
        var api = new PanoptoTestClient(simulator, tenant);
        await api.LogInAsync();
        var created = await api.CallAsync(HttpMethod.Post, "sessionUpload", new { FolderId = Guid.NewGuid() });
        var data = TestData.Bytes(100, seed: 45);
        var answered = new List<string>();
        await using var upload = api.UploadTarget(created.Text("UploadTarget"));

        await upload.PutMultipartAsync("opaque.mp4", data, 100, (_, etag) =>
        {
            answered.Add(etag);
            return etag;
        });

        Assert.NotEqual(TestData.Md5Hex(data), Assert.Single(answered).Trim('"'));
    }
}
