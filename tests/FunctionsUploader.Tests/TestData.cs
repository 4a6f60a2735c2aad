using System.Security.Cryptography;

namespace FunctionsUploader.Tests;

internal static class TestData
{
    /// <summary>Deterministic pseudo-random bytes: the same seed gives the same content in every run.</summary>
    public static byte[] Bytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Md5Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(MD5.HashData(data));

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    public static string BlockId(int index) => Convert.ToBase64String(BitConverter.GetBytes(index));

    /// <summary>The clone the tests run from (the folder with FunctionsUploader.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FunctionsUploader.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("FunctionsUploader.sln not found above the test folder.");
    }
}
