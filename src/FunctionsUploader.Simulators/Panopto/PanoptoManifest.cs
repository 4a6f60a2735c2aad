using System.Xml;
using System.Xml.Linq;

namespace FunctionsUploader.Simulators.Panopto;

/// <summary>What the simulator learns from an upload's manifest: the problem that will fail processing, or the session's title and primary file.</summary>
internal sealed record ManifestCheck(string? Problem, string? Title, string? PrimaryFile);

/// <summary>
/// Checks a session upload's Universal Capture manifest the way Panopto's processing does: exactly one .xml file,
/// well-formed, root Session in http://tempuri.org/UniversalCaptureSpecification/v1, a Title, and Videos/Video
/// elements each with a Start (xs:duration) and a File that was uploaded beside the manifest.
/// </summary>
internal static class PanoptoManifest
{
    public const long MaxManifestBytes = 1024 * 1024;

    public static readonly XNamespace Namespace = "http://tempuri.org/UniversalCaptureSpecification/v1";

    /// <param name="files">The uploaded files, by name relative to the upload's key prefix.</param>
    /// <param name="openAsync">Opens one of them (a manifest: small).</param>
    public static async Task<ManifestCheck> CheckAsync(IReadOnlyCollection<string> files, Func<string, Task<Stream?>> openAsync)
    {
        var manifests = files.Where(f => f.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)).ToList();
        if (manifests.Count != 1)
        {
            return Failed(manifests.Count == 0
                ? "No manifest: no .xml file was uploaded with the session."
                : $"More than one manifest was uploaded ({string.Join(", ", manifests)}).");
        }

        XDocument document;
        await using (var content = await openAsync(manifests[0]))
        {
            if (content is null)
            {
                return Failed($"The manifest {manifests[0]} is larger than {MaxManifestBytes} bytes.");
            }

            try
            {
                using var reader = XmlReader.Create(content, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, Async = true });
                document = await XDocument.LoadAsync(reader, LoadOptions.None, CancellationToken.None);
            }
            catch (XmlException e)
            {
                return Failed($"The manifest {manifests[0]} is not well-formed XML: {e.Message}");
            }
        }

        var session = document.Root!;
        if (session.Name != Namespace + "Session")
        {
            return Failed($"The manifest's root is <{session.Name.LocalName}> in '{session.Name.NamespaceName}', not <Session> in '{Namespace}'.");
        }

        if (session.Element(Namespace + "Title") is not { } title)
        {
            return Failed("The manifest has no <Title>.");
        }

        var videos = session.Element(Namespace + "Videos")?.Elements(Namespace + "Video").ToList() ?? [];
        if (videos.Count == 0)
        {
            return Failed("The manifest names no <Videos>/<Video>.");
        }

        for (var i = 0; i < videos.Count; i++)
        {
            var file = videos[i].Element(Namespace + "File")?.Value.Trim();
            if (!IsDuration(videos[i].Element(Namespace + "Start")?.Value))
            {
                return Failed($"Video {i + 1} has no valid <Start> (an xs:duration such as PT0S).");
            }

            if (string.IsNullOrEmpty(file))
            {
                return Failed($"Video {i + 1} has no <File>.");
            }

            if (!files.Contains(file, StringComparer.Ordinal))
            {
                return Failed($"The manifest names File '{file}', which was not uploaded with the session.");
            }
        }

        return new ManifestCheck(null, title.Value, videos[0].Element(Namespace + "File")!.Value.Trim());
    }

    private static ManifestCheck Failed(string problem) => new(problem, null, null);

    private static bool IsDuration(string? value)
    {
        try
        {
            return value is not null && XmlConvert.ToTimeSpan(value.Trim()) >= TimeSpan.Zero;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
