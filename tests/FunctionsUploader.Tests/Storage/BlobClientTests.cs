using System.Security.Cryptography;
using FunctionsUploader.Storage;
using FunctionsUploader.Tests.Fixtures;

namespace FunctionsUploader.Tests.Storage;

public sealed class BlobClientTests(Emulators emulators) : IClassFixture<Emulators>
{
    [Fact]
    public async Task Put_blob_then_properties_metadata_and_ranged_read_return_what_was_written()
    {
        var container = await emulators.NewContainerAsync();
        var blob = container.GetBlobClient("media/clip one é.mp4");
        var data = TestData.Bytes(300_000);

        var written = await blob.UploadAsync(new MemoryStream(data), data.Length, new BlobUploadOptions
        {
            ContentType = "video/mp4",
            ContentMd5 = MD5.HashData(data),
            Metadata = new Dictionary<string, string> { ["title"] = "Clip one" },
        });

        var properties = await blob.GetPropertiesAsync();
        Assert.Equal(data.Length, properties.Length);
        Assert.Equal(written.ETag, properties.ETag);
        Assert.Equal("video/mp4", properties.ContentType);
        Assert.Equal(MD5.HashData(data), properties.ContentMd5);
        Assert.Equal("Clip one", properties.Metadata["title"]);

        await using var range = await blob.OpenReadAsync(1000, 5000);
        Assert.Equal(data.AsSpan(1000, 5000).ToArray(), await TestData.ReadAllAsync(range));
    }

    [Fact]
    public async Task Staged_blocks_from_a_forward_only_stream_commit_into_the_original_bytes()
    {
        var container = await emulators.NewContainerAsync();
        var blob = container.GetBlobClient("blocks.bin");
        var data = TestData.Bytes(3 * 1024 * 1024 + 17, seed: 2);
        var partSize = 1024 * 1024;
        var ids = new List<string>();
        for (var (offset, index) = (0, 0); offset < data.Length; offset += partSize, index++)
        {
            var length = Math.Min(partSize, data.Length - offset);
            var id = TestData.BlockId(index);
            ids.Add(id);
            var md5 = MD5.HashData(data.AsSpan(offset, length));
            await blob.StageBlockAsync(id, new ForwardOnlyStream(new MemoryStream(data, offset, length)), length, md5);
        }

        var uncommitted = await blob.GetBlockListAsync();
        Assert.Equal(ids, uncommitted.Uncommitted.Select(b => b.Id));
        Assert.Empty(uncommitted.Committed);

        await blob.CommitBlockListAsync(ids, new BlobUploadOptions { BlobContentMd5 = MD5.HashData(data) });

        var committed = await blob.GetBlockListAsync();
        Assert.Equal(ids, committed.Committed.Select(b => b.Id));
        await using var all = await blob.OpenReadAsync(0, data.Length);
        Assert.Equal(TestData.Md5Hex(data), TestData.Md5Hex(await TestData.ReadAllAsync(all)));
        Assert.Equal(MD5.HashData(data), (await blob.GetPropertiesAsync()).ContentMd5);
    }

    [Fact]
    public async Task Put_block_from_url_copies_source_ranges_server_side()
    {
        var container = await emulators.NewContainerAsync();
        var source = container.GetBlobClient("source.bin");
        var data = TestData.Bytes(2 * 1024 * 1024 + 5, seed: 3);
        await source.UploadAsync(new MemoryStream(data), data.Length);
        var sourceSas = source.GenerateReadSasUri(DateTimeOffset.UtcNow.AddMinutes(10));

        var destination = container.GetBlobClient("destination.bin");
        var half = data.Length / 2;
        await destination.StageBlockFromUriAsync(TestData.BlockId(0), sourceSas, 0, half);
        await destination.StageBlockFromUriAsync(TestData.BlockId(1), sourceSas, half, data.Length - half);
        await destination.CommitBlockListAsync([TestData.BlockId(0), TestData.BlockId(1)]);

        await using var copied = await destination.OpenReadAsync(0, data.Length);
        Assert.Equal(TestData.Md5Hex(data), TestData.Md5Hex(await TestData.ReadAllAsync(copied)));
    }

    [Fact]
    public async Task Copy_with_matching_etag_moves_a_blob_and_delete_removes_the_original()
    {
        var container = await emulators.NewContainerAsync();
        var source = container.GetBlobClient("staging/a.mp4");
        var data = TestData.Bytes(10_000, seed: 4);
        var written = await source.UploadAsync(new MemoryStream(data), data.Length);

        var archived = container.GetBlobClient("processed/a.mp4");
        var properties = await archived.CopyFromAsync(source.Uri, BlobConditions.IfUnchanged(written.ETag), BlobConditions.IfNotExists);
        Assert.Equal(data.Length, properties.Length);

        Assert.True(await source.DeleteIfExistsAsync(BlobConditions.IfUnchanged(written.ETag)));
        Assert.False(await source.ExistsAsync());
        Assert.False(await source.DeleteIfExistsAsync());
        await using var read = await archived.OpenReadAsync(0, data.Length);
        Assert.Equal(data, await TestData.ReadAllAsync(read));
    }

    [Fact]
    public async Task List_by_prefix_pages_through_names_sizes_and_metadata()
    {
        var container = await emulators.NewContainerAsync();
        foreach (var name in new[] { "a/1.bin", "a/2.bin", "b/3.bin" })
        {
            await container.GetBlobClient(name).UploadAsync(new MemoryStream(new byte[7]), 7, new BlobUploadOptions
            {
                Metadata = new Dictionary<string, string> { ["source"] = name.Replace('/', '_') },
            });
        }

        var listed = new List<BlobItem>();
        await foreach (var item in container.ListBlobsAsync("a/"))
        {
            listed.Add(item);
        }

        Assert.Equal(["a/1.bin", "a/2.bin"], listed.Select(i => i.Name));
        Assert.All(listed, i => Assert.Equal(7, i.Length));
        Assert.Equal("a_2.bin", listed[1].Metadata["source"]);
    }

    [Fact]
    public async Task Create_container_reports_whether_it_was_new()
    {
        var container = emulators.Account.GetContainerClient("created-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.True(await container.CreateIfNotExistsAsync());
        Assert.False(await container.CreateIfNotExistsAsync());
    }

    [Fact]
    public async Task A_read_sas_reads_one_blob_and_its_url_hides_the_signature()
    {
        var container = await emulators.NewContainerAsync();
        var blob = container.GetBlobClient("shared.bin");
        var data = TestData.Bytes(1234, seed: 5);
        await blob.UploadAsync(new MemoryStream(data), data.Length);

        var sasUri = blob.GenerateReadSasUri(DateTimeOffset.UtcNow.AddMinutes(5));
        var viaSas = BlobAccount.ForBlobSasUri(sasUri);

        Assert.DoesNotContain("sig=", viaSas.Uri.ToString(), StringComparison.Ordinal);
        Assert.Equal(container.Name, viaSas.ContainerName);
        Assert.Equal("shared.bin", viaSas.Name);
        await using var read = await viaSas.OpenReadAsync(0, data.Length);
        Assert.Equal(data, await TestData.ReadAllAsync(read));
    }
}
