using System.Text.Json.Serialization;

namespace FunctionsUploader.Transfer;

/// <summary>One part of a file: its number (from 1) and the byte range [Offset, Offset + Length).</summary>
public readonly record struct Part(int Number, long Offset, long Length)
{
    [JsonIgnore]
    public long End => Offset + Length;

    public override string ToString() =>
        Length == 0 ? $"part {Number} (empty)" : $"part {Number} (bytes {Offset}-{End - 1})";
}
