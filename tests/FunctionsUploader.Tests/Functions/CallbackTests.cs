using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using FunctionsUploader.Callbacks;
using FunctionsUploader.Functions;
using FunctionsUploader.Simulators.Emulators;
using FunctionsUploader.Tests.EndToEnd;
using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsUploader.Tests.Functions;

/// <summary>Completion callbacks from whole jobs on the engine, to a real HTTP receiver that checks the signature.</summary>
public sealed class CallbackTests(JobWorld world) : IClassFixture<JobWorld>, IDisposable
{
    private const string Secret = "callback-signing-secret-for-tests";
    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-callback-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Each_job_end_is_posted_once_with_a_signature_the_receiver_can_verify()
    {
        var received = new ConcurrentQueue<(string Body, string? Timestamp, string? Signature)>();
        await using var receiver = new ScriptedHttpServer((request, _) =>
        {
            received.Enqueue((new StreamReader(request.InputStream).ReadToEnd(), request.Headers[CallbackSender.TimestampHeader], request.Headers[CallbackSender.SignatureHeader]));
            return (200, string.Empty, null);
        });
        await using var host = await HostAsync();
        var done = Assert.Single(await host.DropAsync("mv/called back.mp4", TestData.Bytes(200_000, seed: 71), Sidecar("mediavalet", receiver.BaseUri + "hooks/uploads")));
        var refused = Assert.Single(await host.DropAsync("pv/called back.txt", TestData.Bytes(1000, seed: 72), Sidecar("picovico", receiver.BaseUri + "hooks/uploads")));

        var completed = await host.RunAsync(done);
        var failed = await host.RunAsync(refused);

        Assert.Equal(UploadOutcome.Completed, completed.Outcome);
        Assert.Equal(UploadOutcome.Failed, failed.Outcome);
        Assert.Empty(completed.Warnings);
        Assert.Equal(2, received.Count);
        foreach (var (body, timestamp, signature) in received)
        {
            Assert.Equal("sha256=" + CallbackSender.Sign(Secret, timestamp!, Encoding.UTF8.GetBytes(body)), signature);
            Assert.NotEqual("sha256=" + CallbackSender.Sign("another secret", timestamp!, Encoding.UTF8.GetBytes(body)), signature);
            Assert.InRange(long.Parse(timestamp!, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            Assert.DoesNotContain("sig=", body, StringComparison.Ordinal);
        }

        var results = received.Select(r => JsonSerializer.Deserialize<UploadResult>(r.Body, WorkflowJson.Options)!).ToDictionary(r => r.JobId);
        Assert.Equal(completed with { Warnings = [] }, results[done.JobId] with { Warnings = [] });
        Assert.Equal(UploadOutcome.Failed, results[refused.JobId].Outcome);
        Assert.Equal(failed.Failure, results[refused.JobId].Failure);
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_callback_on_the_third_try()
    {
        var attempts = 0;
        await using var receiver = new ScriptedHttpServer((request, n) =>
        {
            Interlocked.Increment(ref attempts);
            return (n <= 2 ? 500 : 200, string.Empty, null);
        });
        await using var host = await HostAsync();
        var job = Assert.Single(await host.DropAsync("mv/retried callback.mp4", TestData.Bytes(100_000, seed: 73), Sidecar("mediavalet", receiver.BaseUri.ToString())));

        var result = await host.RunAsync(job);

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal(3, attempts);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task A_receiver_that_is_down_leaves_the_job_completed_with_a_warning()
    {
        var closed = $"http://127.0.0.1:{EmulatorProcess.FreeLoopbackPort()}/hooks";
        await using var host = await HostAsync();
        var job = Assert.Single(await host.DropAsync("mv/nobody listens.mp4", TestData.Bytes(100_000, seed: 74), Sidecar("mediavalet", closed)));

        var (result, status) = await host.App.RunAsync(job);

        Assert.Equal(UploadOutcome.Completed, result.Outcome);
        Assert.Equal($"{host.Staging.Processed.Name}/mv/nobody listens.mp4", result.ArchivedTo);
        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith($"The completion callback was not delivered: The callback to {closed} could not be delivered", warning, StringComparison.Ordinal);
        Assert.Equal(result.Warnings, status.Warnings);
    }

    [Fact]
    public async Task A_cancelled_job_posts_a_cancelled_result()
    {
        var received = new ConcurrentQueue<string>();
        await using var receiver = new ScriptedHttpServer((request, _) =>
        {
            received.Enqueue(new StreamReader(request.InputStream).ReadToEnd());
            return (200, string.Empty, null);
        });
        await using var host = await HostAsync();
        var api = ActivatorUtilities.CreateInstance<UploadsApi>(host.Services);
        var job = Assert.Single(await host.DropAsync("pr/cancelled callback.mp4", TestData.Bytes(3 * JobWorld.PreprChunk, seed: 75), Sidecar("prepr", receiver.BaseUri.ToString())));
        await world.Sandbox.AddFaultAsync(new FunctionsUploader.Simulators.Faults.FaultRule { Vendor = FunctionsUploader.Simulators.SimulatedVendor.Prepr, Operation = "transfer", DelayMs = 5_000 });
        await host.App.Client.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.Upload, job, new Microsoft.DurableTask.StartOrchestrationOptions(job.JobId));
        while ((await host.App.Client.GetInstanceAsync(job.JobId, getInputsAndOutputs: true))?.ReadCustomStatusAs<UploadStatus>()?.Phase != UploadPhase.Transferring)
        {
            await Task.Delay(20);
        }

        var context = new DefaultHttpContext();
        await api.Cancel(context.Request, job.JobId, host.App.Client, CancellationToken.None);
        var delivered = await host.App.Client.WaitForInstanceCompletionAsync(CallbackOrchestrator.InstanceId(job.JobId), getInputsAndOutputs: true);

        Assert.Null(delivered.ReadOutputAs<string?>());
        var result = JsonSerializer.Deserialize<UploadResult>(Assert.Single(received), WorkflowJson.Options)!;
        Assert.Equal(UploadOutcome.Cancelled, result.Outcome);
        Assert.Equal(job.JobId, result.JobId);
        Assert.Equal($"{host.Staging.Failed.Name}/pr/cancelled callback.mp4", result.ArchivedTo);
    }

    [Fact]
    public async Task A_callback_url_with_credentials_or_without_a_signing_secret_is_refused_at_intake()
    {
        await using var host = await HostAsync();
        var withQuery = await Assert.ThrowsAsync<FunctionsUploader.Intake.IntakeException>(() =>
            host.DropAsync("mv/token in url.mp4", TestData.Bytes(1000, seed: 76), Sidecar("mediavalet", "https://hooks.example/in?token=abc")));
        Assert.Contains("field 'callbackUrl' must not carry user info or a query string", withQuery.Message, StringComparison.Ordinal);

        await using var unsigned = await world.HostAsync(_folder);
        var noSecret = await Assert.ThrowsAsync<FunctionsUploader.Intake.IntakeException>(() =>
            unsigned.DropAsync("mv/unsigned.mp4", TestData.Bytes(1000, seed: 77), Sidecar("mediavalet", "https://hooks.example/in")));
        Assert.Contains("Uploader:Callbacks:SigningSecret is not set", noSecret.Message, StringComparison.Ordinal);
    }

    private static string Sidecar(string vendor, string callbackUrl) => $"{{\"vendors\":[\"{vendor}\"],\"callbackUrl\":\"{callbackUrl}\"}}";

    private Task<JobHost> HostAsync() =>
        world.HostAsync(_folder, new Dictionary<string, string?> { ["Uploader:Callbacks:SigningSecret"] = Secret });
}
