using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace FunctionsUploader.Vendors.Panopto;

/// <summary>
/// The Universal Capture manifest a session upload is processed by: root Session in the UCS namespace with Title,
/// Description, Date and one primary Video (Start PT0S, File = the uploaded media's name). Built as XML, never by
/// concatenation, so any title stays text; characters XML 1.0 cannot carry at all are dropped.
/// </summary>
public static class SessionManifest
{
    /// <summary>The one .xml file of the upload: Panopto takes it as the manifest.</summary>
    public const string FileName = "manifest.xml";

    public static readonly XNamespace Namespace = "http://tempuri.org/UniversalCaptureSpecification/v1";

    public static byte[] Create(string title, string? description, DateTimeOffset date, string mediaFileName)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(mediaFileName);
        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(Namespace + "Session",
                new XElement(Namespace + "Title", XmlText(title)),
                new XElement(Namespace + "Description", XmlText(description ?? string.Empty)),
                new XElement(Namespace + "Date", XmlConvert.ToString(date.ToUniversalTime().DateTime, XmlDateTimeSerializationMode.Utc)),
                new XElement(Namespace + "Videos",
                    new XElement(Namespace + "Video",
                        new XElement(Namespace + "Start", XmlConvert.ToString(TimeSpan.Zero)),
                        new XElement(Namespace + "File", XmlText(mediaFileName)),
                        new XElement(Namespace + "Type", "Primary")))));
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            document.Save(writer);
        }

        return buffer.ToArray();
    }

    private static string XmlText(string text)
    {
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kept.Append(text, i++, 2);
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                kept.Append(text[i]);
            }
        }

        return kept.ToString();
    }
}
