using FunctionsUploader.Jobs;
using FunctionsUploader.Tests.Fixtures;

namespace FunctionsUploader.Tests.Activities;

public sealed class JobStoreTests(Emulators emulators) : IClassFixture<Emulators>
{
    private sealed record Session(string UploadId, IReadOnlyList<string> Urls);

    [Fact]
    public async Task Blob_and_file_stores_keep_and_replace_documents_per_job()
    {
        var folder = Directory.CreateTempSubdirectory("functionsuploader-jobs-").FullName;
        try
        {
            IJobStore[] stores = [new BlobJobStore(emulators.Account.GetBlobContainerClient("jobs-" + Guid.NewGuid().ToString("N")[..8])), new FileJobStore(folder)];
            foreach (var store in stores)
            {
                Assert.Null(await store.GetAsync<Session>("job:1", "session"));

                await store.PutAsync("job:1", "session", new Session("u-1", ["https://x/1?sig=a"]));
                await store.PutAsync("job:1", "session", new Session("u-2", ["https://x/1?sig=b", "https://x/2?sig=c"]));
                await store.PutAsync("job:2", "session", new Session("other", []));

                var read = await store.GetAsync<Session>("job:1", "session");
                Assert.Equal("u-2", read!.UploadId);
                Assert.Equal(2, read.Urls.Count);
                Assert.Equal("other", (await store.GetAsync<Session>("job:2", "session"))!.UploadId);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
