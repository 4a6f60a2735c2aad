using System.Text;
using System.Xml.Linq;
using FunctionsUploader.Vendors.Panopto;

namespace FunctionsUploader.Tests.Vendors.Panopto;

public sealed class SessionManifestTests
{
    private static readonly XNamespace Ucs = "http://tempuri.org/UniversalCaptureSpecification/v1";

    [Fact]
    public void Has_the_elements_the_ucs_schema_requires_in_its_namespace()
    {
        var bytes = SessionManifest.Create("Lecture", null, new DateTimeOffset(2025, 1, 15, 8, 0, 0, TimeSpan.FromHours(-5)), "lecture.mp4");

        var root = XDocument.Parse(Encoding.UTF8.GetString(bytes)).Root!;
        Assert.Equal(Ucs + "Session", root.Name);
        Assert.Equal(["Title", "Description", "Date", "Videos"], root.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("Lecture", root.Element(Ucs + "Title")!.Value);
        Assert.Equal(string.Empty, root.Element(Ucs + "Description")!.Value);
        Assert.Equal("2025-01-15T13:00:00Z", root.Element(Ucs + "Date")!.Value);
        var video = Assert.Single(root.Element(Ucs + "Videos")!.Elements());
        Assert.Equal(Ucs + "Video", video.Name);
        Assert.Equal(["PT0S", "lecture.mp4", "Primary"], video.Elements().Select(e => e.Value));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Q&A <intro> \"quoted\" 'single'")]
    [InlineData("]]> <![CDATA[ &amp; &#x41; <!-- -->")]
    [InlineData("Ünïcødé 日本語 🎓 emoji")]
    public void Any_title_stays_text_and_reads_back_as_written(string title)
    {
        var bytes = SessionManifest.Create(title, title, DateTimeOffset.UnixEpoch, "a.mp4");

        var root = XDocument.Parse(Encoding.UTF8.GetString(bytes)).Root!;
        Assert.Equal(title, root.Element(Ucs + "Title")!.Value);
        Assert.Equal(title, root.Element(Ucs + "Description")!.Value);
        Assert.Single(root.Element(Ucs + "Videos")!.Elements());
    }

    [Fact]
    public void Characters_xml_cannot_carry_are_dropped_instead_of_failing_the_commit()
    {
        var bytes = SessionManifest.Create("bell\u0007 and\u0000 lone \ud800 surrogate", null, DateTimeOffset.UnixEpoch, "a.mp4");

        Assert.Equal("bell and lone  surrogate", XDocument.Parse(Encoding.UTF8.GetString(bytes)).Root!.Element(Ucs + "Title")!.Value);
    }
}
