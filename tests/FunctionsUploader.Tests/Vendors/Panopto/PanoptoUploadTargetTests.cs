using FunctionsUploader.Vendors.Panopto;

namespace FunctionsUploader.Tests.Vendors.Panopto;

public sealed class PanoptoUploadTargetTests
{
    [Theory]
    [InlineData("https://demo.hosted.panopto.com/Panopto/Upload/0e7c3c2a-1f4b-4a44-9b84-5d1f0f1e2a3b", "https://demo.hosted.panopto.com/Panopto", "Upload", "0e7c3c2a-1f4b-4a44-9b84-5d1f0f1e2a3b")]
    [InlineData("http://127.0.0.1:4568/uploads/abc", "http://127.0.0.1:4568/", "uploads", "abc")]
    [InlineData("https://host/a/b/Upload%20Bucket/x%2Fy", "https://host/a/b", "Upload Bucket", "x/y")]
    public void Splits_the_last_segment_into_the_key_prefix_the_one_before_into_the_bucket(string uploadTarget, string service, string bucket, string prefix)
    {
        var target = PanoptoUploadTarget.Parse(uploadTarget);

        Assert.Equal(new PanoptoUploadTarget(new Uri(service), bucket, prefix), target);
        Assert.Equal($"{prefix}/lecture.mp4", target!.KeyOf("lecture.mp4"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://host/only-one")]
    [InlineData("ftp://host/bucket/prefix")]
    [InlineData("bucket/prefix")]
    public void Anything_else_is_not_an_upload_target(string? uploadTarget) => Assert.Null(PanoptoUploadTarget.Parse(uploadTarget));
}
