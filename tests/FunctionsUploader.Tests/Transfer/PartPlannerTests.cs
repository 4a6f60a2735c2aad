using System.Text.Json;
using FunctionsUploader.Transfer;

namespace FunctionsUploader.Tests.Transfer;

public sealed class PartPlannerTests
{
    private const long MiB = PartRules.MiB;
    private const long GiB = 1024 * MiB;

    private static readonly PartRules Azure = new AzureBlobSasTargetSpec(new Uri("https://a.blob.core.windows.net/c/b?sig=x")).GetPartRules();
    private static readonly PartRules S3 = new S3MultipartTargetSpec(new Uri("http://127.0.0.1:1"), "b", "k").GetPartRules();
    private static readonly PartRules Panopto = new S3MultipartTargetSpec(new Uri("https://x.hosted.panopto.com/Panopto"), "Upload", "g/f.mp4")
    {
        PartSize = 5 * MiB,
        MaxPartSize = PartRules.PanoptoMaxPartSize,
    }.GetPartRules();

    private static readonly PartRules Prepr = new PhasedChunkTargetSpec(new Uri("https://api.eu1.prepr.io/"), "asset-1", "a.mp4").GetPartRules();

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(16 * MiB, 1, 16 * MiB)]
    [InlineData(32 * MiB, 2, 16 * MiB)]
    [InlineData(32 * MiB + 1, 3, 1)]
    [InlineData(32 * MiB - 1, 2, 16 * MiB - 1)]
    public void Sizes_on_and_around_a_part_boundary_cut_into_whole_parts_and_a_short_last_one(long length, int parts, long lastLength)
    {
        var plan = PartPlanner.Plan(length, Azure);

        Assert.Equal(parts, plan.PartCount);
        Assert.Equal(lastLength, plan.GetPart(parts).Length);
        Assert.Equal(length, plan.GetParts().Sum(p => p.Length));
        Assert.All(plan.GetParts().SkipLast(1), p => Assert.Equal(16 * MiB, p.Length));
        Assert.Equal(plan.GetParts().Select(p => p.Offset), plan.GetParts().Select(p => (p.Number - 1) * 16 * MiB));
    }

    [Fact]
    public void An_empty_file_is_one_empty_part_where_the_target_takes_it()
    {
        Assert.Equal(new Part(1, 0, 0), Assert.Single(PartPlanner.Plan(0, Azure).GetParts()));
        Assert.Equal(new Part(1, 0, 0), Assert.Single(PartPlanner.Plan(0, S3).GetParts()));
    }

    [Fact]
    public void An_empty_file_is_refused_by_presigned_parts_and_phased_chunks()
    {
        var presigned = new PresignedPartsTargetSpec("u", 5 * MiB, []).GetPartRules();

        Assert.Equal("the vendor's presigned part URLs cannot take an empty file (0 bytes).",
            Assert.Throws<TransferRefusedException>(() => PartPlanner.Plan(0, presigned)).Message);
        Assert.Contains("phased chunk upload cannot take an empty file", Assert.Throws<TransferRefusedException>(() => PartPlanner.Plan(0, Prepr)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_grows_blocks_past_50000_parts_and_refuses_past_4000_MiB_blocks()
    {
        var large = PartPlanner.Plan(1024 * GiB, Azure);
        Assert.Equal(21 * MiB, large.PartSize);
        Assert.True(large.PartCount <= PartRules.AzureMaxBlocks);

        var largest = PartPlanner.Plan(PartRules.AzureMaxBlockSize * PartRules.AzureMaxBlocks, Azure);
        Assert.Equal(PartRules.AzureMaxBlockSize, largest.PartSize);
        Assert.Equal(PartRules.AzureMaxBlocks, largest.PartCount);

        var error = Assert.Throws<TransferRefusedException>(() => PartPlanner.Plan(PartRules.AzureMaxBlockSize * PartRules.AzureMaxBlocks + 1, Azure));
        Assert.Equal(
            "The file has 209,715,200,000,001 bytes (190.73 TiB), more than an Azure block blob can take: at most 50,000 parts of at most 4000 MiB (209,715,200,000,000 bytes (190.73 TiB)).",
            error.Message);
    }

    [Fact]
    public void S3_keeps_5_MiB_to_5_GiB_parts_and_at_most_10000_of_them()
    {
        var plan = PartPlanner.Plan(200 * GiB, S3);
        Assert.Equal(21 * MiB, plan.PartSize);
        Assert.Equal(9753, plan.PartCount);

        Assert.Equal(PartRules.S3MaxParts, PartPlanner.Plan(PartRules.S3MaxPartSize * PartRules.S3MaxParts, S3).PartCount);
        Assert.Throws<TransferRefusedException>(() => PartPlanner.Plan(PartRules.S3MaxPartSize * PartRules.S3MaxParts + 1, S3));
        var tooSmall = Assert.Throws<TransferRefusedException>(() => PartPlanner.Plan(10, S3 with { PreferredPartSize = MiB }));
        Assert.Equal("an S3 multipart upload takes parts of 5 MiB to 5 GiB; a part size of 1 MiB is not one of them.", tooSmall.Message);
    }

    [Fact]
    public void Panopto_grows_within_25_MB_and_refuses_what_10000_such_parts_cannot_hold()
    {
        Assert.Equal(5 * MiB, PartPlanner.Plan(40 * GiB, Panopto).PartSize);
        var grown = PartPlanner.Plan(240_000_000_000, Panopto);
        Assert.Equal(23 * MiB, grown.PartSize);
        var limit = PartPlanner.Plan(PartRules.PanoptoMaxPartSize * PartRules.S3MaxParts, Panopto);
        Assert.Equal(PartRules.PanoptoMaxPartSize, limit.PartSize);

        var error = Assert.Throws<TransferRefusedException>(() => PartPlanner.Plan(PartRules.PanoptoMaxPartSize * PartRules.S3MaxParts + 1, Panopto));
        Assert.Contains("at most 10,000 parts of at most 25,000,000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Presigned_parts_keep_the_vendors_size_and_need_exactly_one_url_per_part()
    {
        var urls = Enumerable.Range(1, 3).Select(n => new Uri($"http://s3.local/b/k?partNumber={n}&X-Amz-Signature=s")).ToList();
        var rules = new PresignedPartsTargetSpec("upload-1", 5 * MiB, urls).GetPartRules();

        var plan = PartPlanner.Plan(10 * MiB + 1, rules);
        Assert.Equal((5 * MiB, 3), (plan.PartSize, plan.PartCount));

        var tooFew = Assert.Throws<TransferRefusedException>(() => PartPlanner.Plan(15 * MiB + 1, rules));
        Assert.Contains("issued 3 part URLs of 5 MiB, but the file has 15,728,641 bytes (15 MiB) and needs 4", tooFew.Message, StringComparison.Ordinal);
        var tooMany = Assert.Throws<TransferRefusedException>(() => PartPlanner.Plan(5 * MiB, rules));
        Assert.Equal("the vendor's presigned part URLs issued 3 part URLs of 5 MiB, but the file has 5 MiB and needs 1: the upload session was opened for another size.", tooMany.Message);
    }

    [Fact]
    public void Phased_chunks_default_to_Preprs_50_MiB_and_go_one_after_another()
    {
        var plan = PartPlanner.Plan(120 * MiB, Prepr);

        Assert.Equal(52_428_800, plan.PartSize);
        Assert.Equal([50 * MiB, 50 * MiB, 20 * MiB], plan.GetParts().Select(p => p.Length));
        Assert.False(Prepr.ParallelParts);
    }

    [Fact]
    public void A_200_GB_file_needs_no_more_than_1000_batches_of_whole_consecutive_parts()
    {
        var plan = PartPlanner.Plan(200_000_000_000, S3);

        var batches = plan.GetBatches();

        Assert.InRange(batches.Count, 100, 1000);
        Assert.Equal(Enumerable.Range(1, plan.PartCount), batches.SelectMany(b => b.GetParts()).Select(p => p.Number));
        Assert.All(batches.SkipLast(1), b => Assert.InRange(b.GetParts().Sum(p => p.Length), 512 * MiB, 2 * GiB));
        Assert.Equal(Enumerable.Range(0, batches.Count), batches.Select(b => b.Index));
    }

    [Fact]
    public void Small_parts_of_a_huge_file_are_batched_more_coarsely_to_stay_under_1000_batches()
    {
        var plan = new PartPlan(10_000L * 5 * MiB * 40, 5 * MiB * 40, 10_000);

        Assert.True(plan.GetBatches(targetBatchBytes: 5 * MiB).Count <= PartPlan.DefaultMaxBatches);
        Assert.Single(PartPlanner.Plan(0, Azure).GetBatches());
    }

    [Fact]
    public void A_batch_and_its_receipts_are_small_secret_free_json()
    {
        var batch = PartPlanner.Plan(200_000_000_000, S3).GetBatches()[7];
        var receipt = new PartReceipt(9753, 5 * MiB, "0123456789abcdef0123456789abcdef", "\"0123456789abcdef0123456789abcdef\"");

        var batchJson = JsonSerializer.Serialize(batch);
        var receiptJson = JsonSerializer.Serialize(receipt);

        Assert.True(batchJson.Length < 200, batchJson);
        Assert.True(receiptJson.Length < 160, receiptJson);
        Assert.Equal(batch, JsonSerializer.Deserialize<PartBatch>(batchJson));
        Assert.Equal(receipt, JsonSerializer.Deserialize<PartReceipt>(receiptJson));
    }

    [Fact]
    public void Specs_round_trip_as_json_by_kind_and_print_without_signatures()
    {
        TransferTargetSpec[] specs =
        [
            new AzureBlobSasTargetSpec(new Uri("https://mv.blob.core.windows.net/uploads/a.mp4?sv=2021-08-06&sig=SECRET")),
            new PresignedPartsTargetSpec("upload-1", 5 * MiB, [new Uri("https://s3.amazonaws.com/b/k?partNumber=1&X-Amz-Signature=SECRET")]),
            new S3MultipartTargetSpec(new Uri("https://x.hosted.panopto.com/Panopto"), "Upload", "g/a.mp4") { UploadId = "u-1" },
            new PhasedChunkTargetSpec(new Uri("https://api.eu1.prepr.io/"), "asset-1", "a.mp4"),
        ];

        foreach (var spec in specs)
        {
            var json = JsonSerializer.Serialize(spec);
            var back = JsonSerializer.Deserialize<TransferTargetSpec>(json)!;
            Assert.Equal(spec.GetType(), back.GetType());
            Assert.Equal(spec.ToString(), back.ToString());
            Assert.DoesNotContain("SECRET", spec.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("sig=", spec.ToString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Signature=", spec.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }
}
