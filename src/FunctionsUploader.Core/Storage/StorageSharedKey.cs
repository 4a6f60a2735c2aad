using System.Security.Cryptography;
using System.Text;

namespace FunctionsUploader.Storage;

/// <summary>A storage account name and key. The key never leaves this type except as an HMAC.</summary>
public sealed class StorageSharedKey
{
    private readonly byte[] _key;

    public StorageSharedKey(string accountName, string base64Key)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        AccountName = accountName;
        try
        {
            _key = Convert.FromBase64String(base64Key);
        }
        catch (FormatException)
        {
            throw new FormatException($"The account key for storage account '{accountName}' is not valid base64.");
        }
    }

    public string AccountName { get; }

    public string Sign(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));

    public override string ToString() => $"SharedKey({AccountName})";
}
