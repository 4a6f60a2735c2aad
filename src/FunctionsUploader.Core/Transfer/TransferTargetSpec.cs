using System.Text.Json.Serialization;
using FunctionsUploader.Storage;

namespace FunctionsUploader.Transfer;

/// <summary>
/// What a vendor connector hands the transfer: enough to build the target at activity time. A spec may hold
/// signed URLs, so it lives in the job store, never in orchestration inputs or logs; ToString redacts URLs.
/// Credentials and tokens are never part of a spec: they are supplied when the target is built.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(AzureBlobSasTargetSpec), "azureBlobSas")]
[JsonDerivedType(typeof(PresignedPartsTargetSpec), "presignedParts")]
[JsonDerivedType(typeof(S3MultipartTargetSpec), "s3Multipart")]
[JsonDerivedType(typeof(PhasedChunkTargetSpec), "phasedChunks")]
[JsonDerivedType(typeof(FormUploadTargetSpec), "formUpload")]
public abstract record TransferTargetSpec
{
    /// <summary>The part rules the planner applies: known without building the target, so the orchestration can plan.</summary>
    public abstract PartRules GetPartRules();
}

/// <summary>An Azure block blob reached through a SAS URL with write permission (MediaValet's UploadUrl).</summary>
public sealed record AzureBlobSasTargetSpec(Uri UploadUrl) : TransferTargetSpec
{
    public long BlockSize { get; init; } = 16 * PartRules.MiB;

    /// <summary>Let the destination copy from the staging blob itself (Put Block From URL) when the source can hand it a read SAS.</summary>
    public bool ServerSideCopy { get; init; } = true;

    public string? ContentType { get; init; }

    public override PartRules GetPartRules() => new()
    {
        Target = "an Azure block blob",
        PreferredPartSize = BlockSize,
        MaxPartSize = PartRules.AzureMaxBlockSize,
        MaxParts = PartRules.AzureMaxBlocks,
    };

    public override string ToString() =>
        $"{nameof(AzureBlobSasTargetSpec)} {{ UploadUrl = {BlobSas.Redact(UploadUrl)}, BlockSize = {BlockSize}, ServerSideCopy = {ServerSideCopy} }}";
}

/// <summary>S3 multipart parts through presigned URLs the vendor issued (Picovico): PartUrls[i] uploads part i + 1.</summary>
public sealed record PresignedPartsTargetSpec(string UploadId, long PartSize, IReadOnlyList<Uri> PartUrls) : TransferTargetSpec
{
    public override PartRules GetPartRules() => new()
    {
        Target = "the vendor's presigned part URLs",
        PreferredPartSize = PartSize,
        MinPartSize = PartRules.S3MinPartSize,
        MaxPartSize = PartRules.S3MaxPartSize,
        MaxParts = PartRules.S3MaxParts,
        FixedPartSize = true,
        RequiredPartCount = PartUrls.Count,
        AcceptsEmptyFile = false,
    };

    public override string ToString() =>
        $"{nameof(PresignedPartsTargetSpec)} {{ UploadId = {UploadId}, PartSize = {PartSize}, PartUrls = {PartUrls.Count} URLs for {(PartUrls.Count > 0 ? BlobSas.Redact(PartUrls[0]) : "nothing")} }}";
}

/// <summary>How AWSSDK.S3 signs an UploadPart body.</summary>
public enum S3PayloadSigning
{
    /// <summary>Unsigned over https, Signed over http.</summary>
    Auto,

    /// <summary>SigV4 over the body's SHA-256: the SDK reads each part once to hash it and once to send it (the range is read twice, never buffered).</summary>
    Signed,

    /// <summary>UNSIGNED-PAYLOAD: one streaming read; the SDK allows it over https only.</summary>
    Unsigned,

    /// <summary>aws-chunked streaming signatures: one streaming read; real S3 only (s3rver stores the framing).</summary>
    Chunked,
}

/// <summary>
/// An S3 multipart upload driven by AWSSDK.S3 (Panopto's UploadTarget, or any S3-compatible endpoint). The client
/// settings that emulators and S3-compatible servers need are plain configuration here.
/// </summary>
public sealed record S3MultipartTargetSpec(Uri ServiceUrl, string Bucket, string Key) : TransferTargetSpec
{
    /// <summary>The multipart upload parts go to; null until it is started.</summary>
    public string? UploadId { get; init; }

    public string Region { get; init; } = "us-east-1";

    public bool ForcePathStyle { get; init; } = true;

    /// <summary>RequestChecksumCalculation and ResponseChecksumValidation WHEN_REQUIRED: servers other than AWS reject or mangle the new default checksums.</summary>
    public bool ChecksumsOnlyWhenRequired { get; init; } = true;

    public S3PayloadSigning PayloadSigning { get; init; } = S3PayloadSigning.Auto;

    public long PartSize { get; init; } = 16 * PartRules.MiB;

    public long MaxPartSize { get; init; } = PartRules.S3MaxPartSize;

    /// <summary>
    /// S3 answers a part's MD5 as its ETag (without SSE-KMS), and a different one then means different bytes. False
    /// where the server promises no such thing (Panopto): the ETag is passed on as answered and the difference logged.
    /// </summary>
    public bool ETagsAreMd5 { get; init; } = true;

    public override PartRules GetPartRules() => new()
    {
        Target = "an S3 multipart upload",
        PreferredPartSize = PartSize,
        MinPartSize = PartRules.S3MinPartSize,
        MaxPartSize = MaxPartSize,
        MaxParts = PartRules.S3MaxParts,
    };

    public override string ToString() =>
        $"{nameof(S3MultipartTargetSpec)} {{ ServiceUrl = {BlobSas.Redact(ServiceUrl)}, Bucket = {Bucket}, Key = {Key}, UploadId = {UploadId}, PartSize = {PartSize} }}";
}

/// <summary>
/// A phased chunk upload (Prepr): chunks POSTed one after another to {BaseUrl}assets/{AssetId}/multipart, each at
/// the offset the server names. The connector opened the asset (upload_phase=start) and supplies the token.
/// </summary>
public sealed record PhasedChunkTargetSpec(Uri BaseUrl, string AssetId, string OriginalName) : TransferTargetSpec
{
    public long ChunkSize { get; init; } = PartRules.PreprChunkSize;

    public override PartRules GetPartRules() => new()
    {
        Target = "a phased chunk upload",
        PreferredPartSize = ChunkSize,
        MaxPartSize = ChunkSize,
        MaxParts = int.MaxValue,
        FixedPartSize = true,
        AcceptsEmptyFile = false,
        ParallelParts = false,
    };

    public override string ToString() =>
        $"{nameof(PhasedChunkTargetSpec)} {{ BaseUrl = {BlobSas.Redact(BaseUrl)}, AssetId = {AssetId}, OriginalName = {OriginalName}, ChunkSize = {ChunkSize} }}";
}

/// <summary>
/// The whole file in one multipart/form-data POST to <see cref="Url"/> that makes the asset (Prepr's images,
/// documents and audio: POST /assets with the file as "source"): the file goes as <see cref="FileField"/> beside the
/// plain <see cref="Fields"/>; the answer's "id" names the asset. The connector supplies the token.
/// </summary>
public sealed record FormUploadTargetSpec(Uri Url, string FileField, string FileName) : TransferTargetSpec
{
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    /// <summary>[Assumed] Prepr publishes no size limit for a one-shot upload; one S3-sized request is the most sent.</summary>
    public long MaxSize { get; init; } = PartRules.S3MaxPartSize;

    public override PartRules GetPartRules() => new()
    {
        Target = "a one-request form upload",
        PreferredPartSize = MaxSize,
        MaxPartSize = MaxSize,
        MaxParts = 1,
        AcceptsEmptyFile = false,
        ParallelParts = false,
    };

    public override string ToString() => $"{nameof(FormUploadTargetSpec)} {{ Url = {BlobSas.Redact(Url)}, FileField = {FileField}, FileName = {FileName} }}";
}
