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
}
