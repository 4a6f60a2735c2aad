using System.Net;
using System.Net.Http.Json;
using FunctionsUploader.Simulators;
using FunctionsUploader.Simulators.Faults;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Tests.Simulators.Clients;

namespace FunctionsUploader.Tests.Simulators;

public sealed class FaultInjectionTests(Simulator simulator) : IClassFixture<Simulator>
{
    [Fact]
    public async Task A_rule_fails_only_the_nth_matching_request_with_its_status()
    {
        var tenant = simulator.NewTenant();
        var prepr = new PreprTestClient(simulator, tenant);
        var id = (await prepr.StartAsync(10)).Text("id");
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "getAsset", nth = 2, status = 503 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await prepr.CallAsync(HttpMethod.Get, $"assets/{id}")).Status);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], statuses);
        var logged = (await simulator.RequestsAsync(tenant)).Where(r => r.Operation == "getAsset").ToList();
        Assert.Equal([200, 503, 200], logged.Select(r => r.Status));
        Assert.Equal("status 503", logged[1].Fault);
        var rule = Assert.Single((await Simulator.Http.GetFromJsonAsync<List<FaultStatus>>(simulator.Admin($"tenants/{tenant.Id}/faults")))!);
        Assert.Equal((3, 1), (rule.Matched, rule.Fired));
    }

    [Fact]
    public async Task A_retry_after_rule_answers_429_with_the_header_in_the_vendors_error_shape()
    {
        var tenant = simulator.NewTenant();
        var mediaValet = new MediaValetTestClient(simulator, tenant);
        await mediaValet.LogInAsync();
        await simulator.AddFaultAsync(tenant, new { vendor = "mediavalet", operation = "createUpload", retryAfterSeconds = 7, times = 2 });

        var first = await mediaValet.CallAsync(HttpMethod.Post, "uploads", new { filename = "a.mp4" });
        var second = await mediaValet.CallAsync(HttpMethod.Post, "uploads", new { filename = "a.mp4" });
        var third = await mediaValet.CallAsync(HttpMethod.Post, "uploads", new { filename = "a.mp4" });

        Assert.Equal(HttpStatusCode.TooManyRequests, first.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), first.Headers.RetryAfter?.Delta);
        Assert.Equal("TooManyRequests", first.Body.GetProperty("meta").GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
    }

    [Fact]
    public async Task A_drop_connection_rule_resets_the_connection_mid_body_and_nothing_is_stored()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = 256 * 1024);
        var prepr = new PreprTestClient(simulator, tenant);
        var data = TestData.Bytes(256 * 1024, seed: 51);
        var id = (await prepr.StartAsync(data.Length)).Text("id");
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "transfer", dropConnection = true, dropAfterBytes = 1000 });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => prepr.TransferAsync(id, data));
        var after = await prepr.CallAsync(HttpMethod.Get, $"assets/{id}");
        var retried = await prepr.TransferAsync(id, data);

        Assert.Equal(0, after.Body.GetProperty("source_file").GetProperty("start_offset").GetInt64());
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        var dropped = (await simulator.RequestsAsync(tenant)).First(r => r.Operation == "transfer");
        Assert.Equal(0, dropped.Status);
        Assert.Equal("drop connection after 1000 bytes", dropped.Fault);
    }

    [Fact]
    public async Task A_drop_response_rule_keeps_the_effect_but_loses_the_answer()
    {
        var tenant = simulator.NewTenant(s => s.PreprChunkSize = 1000);
        var prepr = new PreprTestClient(simulator, tenant);
        var data = TestData.Bytes(1500, seed: 52);
        var id = (await prepr.StartAsync(data.Length)).Text("id");
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "transfer", dropResponse = true });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => prepr.TransferAsync(id, data.AsMemory(0, 1000)));
        var after = await prepr.CallAsync(HttpMethod.Get, $"assets/{id}");
        var resent = await prepr.TransferAsync(id, data.AsMemory(0, 1000), startOffset: 0);

        Assert.Equal(1000, after.Body.GetProperty("source_file").GetProperty("end_offset").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, resent.Status);
    }

    [Fact]
    public async Task A_delay_rule_holds_the_request_then_answers_normally()
    {
        var tenant = simulator.NewTenant();
        var prepr = new PreprTestClient(simulator, tenant);
        var id = (await prepr.StartAsync(10)).Text("id");
        await simulator.AddFaultAsync(tenant, new { vendor = "prepr", operation = "getAsset", delayMs = 200 });

        var delayed = await prepr.CallAsync(HttpMethod.Get, $"assets/{id}");

        Assert.Equal(HttpStatusCode.OK, delayed.Status);
        Assert.Equal("delay 200 ms", (await simulator.RequestsAsync(tenant)).Single(r => r.Operation == "getAsset").Fault);
    }

    [Fact]
    public async Task Rules_touch_only_their_tenant_and_resource()
    {
        var tenant = simulator.NewTenant();
        var other = simulator.NewTenant();
        var prepr = new PreprTestClient(simulator, tenant);
        var otherPrepr = new PreprTestClient(simulator, other);
        var targeted = (await prepr.StartAsync(10)).Text("id");
        var spared = (await prepr.StartAsync(10)).Text("id");
        var othersAsset = (await otherPrepr.StartAsync(10)).Text("id");
        await simulator.AddFaultAsync(tenant, new { resourceId = targeted, status = 500, times = 0 });

        Assert.Equal(HttpStatusCode.InternalServerError, (await prepr.CallAsync(HttpMethod.Get, $"assets/{targeted}")).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await prepr.CallAsync(HttpMethod.Get, $"assets/{targeted}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await prepr.CallAsync(HttpMethod.Get, $"assets/{spared}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await otherPrepr.CallAsync(HttpMethod.Get, $"assets/{othersAsset}")).Status);
        Assert.DoesNotContain(await simulator.RequestsAsync(other), r => r.Fault is not null);

        using var cleared = await Simulator.Http.DeleteAsync(simulator.Admin($"tenants/{tenant.Id}/faults"));
        Assert.Equal(HttpStatusCode.OK, (await prepr.CallAsync(HttpMethod.Get, $"assets/{targeted}")).Status);
    }

    [Fact]
    public async Task Start_up_rules_apply_to_every_tenant_each_counting_its_own_requests()
    {
        await using var own = await Simulator.StartAsync(o => o.Faults.Add(new FaultRule { Vendor = SimulatedVendor.Prepr, Operation = "createAsset", Status = 502 }));
        var statuses = new List<HttpStatusCode>();
        foreach (var tenant in new[] { own.DefaultTenant, own.CreateTenant() })
        {
            for (var i = 0; i < 2; i++)
            {
                statuses.Add((await VendorCall.JsonAsync(HttpMethod.Post, new Uri(own.Prepr, "assets"), new { label = "Video", upload_phase = "start", file_size = "10" },
                    r => r.Headers.Authorization = new("Bearer", tenant.Credentials.Prepr.AccessToken))).Status);
            }
        }

        Assert.Equal([HttpStatusCode.BadGateway, HttpStatusCode.Created, HttpStatusCode.BadGateway, HttpStatusCode.Created], statuses);
    }

    [Fact]
    public async Task A_rule_naming_an_unknown_operation_is_refused_with_the_known_ones()
    {
        var tenant = simulator.NewTenant();

        using var response = await Simulator.Http.PostAsJsonAsync(simulator.Admin($"tenants/{tenant.Id}/faults"), new { vendor = "prepr", operation = "upload", status = 500 });
        var operations = await Simulator.Http.GetFromJsonAsync<List<SimulatedOperation>>(simulator.Admin("operations"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("prepr.transfer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(new SimulatedOperation(SimulatedVendor.Panopto, "updateSessionUpload"), operations!);
    }
}
