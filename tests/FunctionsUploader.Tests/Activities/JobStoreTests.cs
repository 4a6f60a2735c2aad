using Azure.Storage.Blobs.Specialized;
using FunctionsUploader.Jobs;
using FunctionsUploader.Tests.Fixtures;

namespace FunctionsUploader.Tests.Activities;

public sealed class JobStoreTests(Emulators emulators) : IClassFixture<Emulators>
{
    private sealed record Session(string UploadId, IReadOnlyList<string> Urls);

    [Fact]
    public Task Blob_and_file_stores_keep_and_replace_documents_per_job() =>
        ForEachStoreAsync(async store =>
            {
                Assert.Null(await store.GetAsync<Session>("job:1", "session"));

                await store.PutAsync("job:1", "session", new Session("u-1", ["https://x/1?sig=a"]));
                await store.PutAsync("job:1", "session", new Session("u-2", ["https://x/1?sig=b", "https://x/2?sig=c"]));
                await store.PutAsync("job:2", "session", new Session("other", []));

                var read = await store.GetAsync<Session>("job:1", "session");
                Assert.Equal("u-2", read!.UploadId);
                Assert.Equal(2, read.Urls.Count);
                Assert.Equal("other", (await store.GetAsync<Session>("job:2", "session"))!.UploadId);
            });

    [Fact]
    public Task A_job_lock_makes_a_second_taker_wait_until_the_first_lets_go_and_other_jobs_never_wait() =>
        ForEachStoreAsync(async store =>
            {
                var first = await store.LockAsync("job:1", "transfer");
                var second = store.LockAsync("job:1", "transfer");
                await using (await store.LockAsync("job:2", "transfer").WaitAsync(TimeSpan.FromSeconds(30)))
                {
                    // Another job's lock is free, while job:1's second taker still waits (it tries every half second).
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    Assert.False(second.IsCompleted, store.GetType().Name);
                }

                await first.DisposeAsync();
                await using var taken = await second.WaitAsync(TimeSpan.FromSeconds(30));
                Assert.False(taken.Lost.IsCancellationRequested);
            });

    [Fact]
    public async Task A_blob_lock_whose_lease_is_broken_says_so_through_Lost()
    {
        var container = emulators.Account.GetBlobContainerClient("locks-" + Guid.NewGuid().ToString("N")[..8]);
        await using var held = await new BlobJobStore(container).LockAsync("job:3", "transfer");

        // Someone else breaks the lease: the holder's next renewal is refused, and it must stop sending.
        await container.GetBlobClient("job:3/transfer.lock").GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);

        var lost = new TaskCompletionSource();
        await using var registration = held.Lost.Register(lost.SetResult);
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(held.Lost.IsCancellationRequested);
    }

    /// <summary>Runs <paramref name="test"/> on a blob store (Azurite) and on a file store, each new.</summary>
    private async Task ForEachStoreAsync(Func<IJobStore, Task> test)
    {
        var folder = Directory.CreateTempSubdirectory("functionsuploader-jobs-").FullName;
        try
        {
            IJobStore[] stores = [new BlobJobStore(emulators.Account.GetBlobContainerClient("jobs-" + Guid.NewGuid().ToString("N")[..8])), new FileJobStore(folder)];
            foreach (var store in stores)
            {
                await test(store);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
