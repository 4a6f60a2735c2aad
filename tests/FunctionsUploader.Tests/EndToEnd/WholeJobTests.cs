using System.Security.Cryptography;
using FunctionsUploader.Intake;
using FunctionsUploader.Storage;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.EndToEnd;

/// <summary>Whole jobs through the Functions app on the Durable engine, real activities, simulators and emulators: bytes, fields and archive.</summary>
public sealed class WholeJobTests(JobWorld world) : IClassFixture<JobWorld>, IDisposable
{
    private const int MiB = 1024 * 1024;
    private static readonly string[] MediaValetCategories = ["0b7c6f0e-3a1d-4c55-9c1e-1f2a3b4c5d6e", "a5f1e2d3-7b8c-4d9e-8f0a-1b2c3d4e5f60"];

    private readonly string _folder = Directory.CreateTempSubdirectory("functionsuploader-e2e-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, int> Jobs => new()
    {
        // vendor, bytes: one part, then several parts and batches
        { "mediavalet", (MiB / 2) + 3 },
        { "mediavalet", (5 * MiB) + (MiB / 2) },
        { "picovico", MiB + 7 },
        { "picovico", (11 * MiB) + 1 },
        { "prepr", (MiB / 2) + 1 },
        { "prepr", (5 * MiB) / 2 },
        { "panopto", MiB },
        { "panopto", (11 * MiB) + 5 },
    };

    [Theory]
    [MemberData(nameof(Jobs))]
    public async Task A_file_dropped_in_staging_reaches_the_vendor_whole_with_its_details_and_moves_to_processed(string vendor, int size)
    {
        await using var host = await world.HostAsync(_folder);
        var name = $"dam/Clip één — {vendor} {size}.mp4";
        var data = TestData.Bytes(size, seed: size);
        await host.Staging.Staging.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(data), overwrite: true);
        var request = new UploadInstructions
        {
            Source = name,
            Vendors = [vendor],
            Title = "Talk & Demo <één>",
            Description = "Recorded on stage",
            Categories = vendor == "mediavalet" ? MediaValetCategories : ["keynote", "2026"],
            Metadata = new Dictionary<string, string> { ["owner"] = "ana", ["event"] = "Summit" },
            Status = vendor == "mediavalet" ? "1" : null,
        };
        var job = Assert.Single(await host.Intake.FromRequestAsync(request));

        var before = DateTimeOffset.UtcNow;
        var result = await host.RunAsync(job);

        Assert.True(result.Outcome == UploadOutcome.Completed, $"{result.Failure}");
        Assert.Equal(size, result.Bytes);
        // The job's own span, by the engine's clock: inside the test's, start before finish.
        Assert.InRange(result.StartedAt!.Value, before.AddSeconds(-1), result.FinishedAt!.Value);
        Assert.InRange(result.FinishedAt.Value, result.StartedAt.Value, DateTimeOffset.UtcNow.AddSeconds(1));
        var asset = await world.Sandbox.InspectAsync(vendor, result.VendorAssetId!);
        Assert.Equal(TestData.Md5Hex(data), asset.Md5);
        Assert.Equal(size, asset.Size);
        AssertVendorReceivedDetails(vendor, asset, request);
        Assert.Equal($"{host.Staging.Processed.Name}/{name}", result.ArchivedTo);
        Assert.False(await host.Staging.Staging.GetBlobClient(name).ExistsAsync());
        await using (var archived = await host.Staging.Processed.GetBlobClient(name).OpenReadAsync(0, size))
        {
            Assert.Equal(MD5.HashData(data), MD5.HashData(await TestData.ReadAllAsync(archived)));
        }

        Assert.NotEmpty(host.Logs.Lines);
        Assert.True(host.Functions.Executions[OrchestrationNames.Upload] > 1, "the orchestrator replayed");
        AssertNoSecretLeaked(host);
    }

    /// <summary>No credential, key or URL signature in the logs, the orchestration history (inputs, outputs) or the status.</summary>
    private static void AssertNoSecretLeaked(JobHost host)
    {
        var secretNames = new[] { "ClientSecret", "Password", "SubscriptionKey", "AccessToken", "UploadSecretKey" };
        var accessKeyIds = host.Configuration.Where(c => c.Key.EndsWith("UploadAccessKey", StringComparison.Ordinal)).Select(c => c.Value).ToHashSet();
        var secrets = host.Configuration
            .Where(c => secretNames.Any(n => c.Key.EndsWith(":" + n, StringComparison.Ordinal)) && !string.IsNullOrEmpty(c.Value) && !accessKeyIds.Contains(c.Value))
            .Select(c => c.Value!)
            .Append(FunctionsUploader.Simulators.Emulators.LocalEmulators.AzuriteAccountKey)
            .ToList();
        Assert.NotEmpty(host.App.HistoryPayloads);
        foreach (var text in host.Logs.Lines.Concat(host.App.HistoryPayloads))
        {
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
            Assert.DoesNotContain("sig=", text, StringComparison.Ordinal);
            Assert.DoesNotContain("X-Amz-Signature", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static void AssertVendorReceivedDetails(string vendor, FunctionsUploader.Simulators.Inspection.AssetReport asset, UploadInstructions request)
    {
        switch (vendor)
        {
            case "mediavalet":
                Assert.Equal(request.Title, asset.Metadata["title"]);
                Assert.Equal(request.Description, asset.Metadata["description"]);
                Assert.Equal("ana", asset.Metadata["attributes.owner"]);
                Assert.Equal("Summit", asset.Metadata["attributes.event"]);
                Assert.Equal(request.Categories!.Order(), asset.Categories.Order());
                Assert.Equal("Finalized", asset.Status);
                break;
            case "prepr":
                Assert.Equal(request.Title, asset.Metadata["name"]);
                Assert.Equal(request.Description, asset.Metadata["body"]);
                Assert.Equal(request.Categories!.Order(), asset.Keywords.Order()); // categories become Prepr tags
                Assert.Equal("processed", asset.Status);
                break;
            case "panopto":
                Assert.Equal(request.Title, asset.Metadata["Title"]); // read from the manifest the session holds
                Assert.Equal("Complete", asset.Status);
                Assert.Equal(2, asset.Files.Count); // the media file and its manifest
                break;
            default:
                Assert.Equal("available", asset.Status);
                break;
        }
    }
}
