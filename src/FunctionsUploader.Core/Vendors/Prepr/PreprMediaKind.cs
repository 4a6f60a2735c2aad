namespace FunctionsUploader.Vendors.Prepr;

/// <summary>
/// What Prepr takes, by the file's extension: video goes by start/transfer/finish, images, documents and audio by one
/// POST /assets with the file as "source" (docs.prepr.io, "Upload Image + Document + Audio"). [Assumed] Prepr lists
/// no extensions; these are the common ones of each kind, and anything else is refused before a call is made.
/// </summary>
internal enum PreprMediaKind
{
    None,
    Video,
    Image,
    Document,
    Audio,
}

internal static class PreprMediaKinds
{
    private static readonly Dictionary<string, PreprMediaKind> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = PreprMediaKind.Video, [".mov"] = PreprMediaKind.Video, [".m4v"] = PreprMediaKind.Video, [".avi"] = PreprMediaKind.Video,
        [".mkv"] = PreprMediaKind.Video, [".webm"] = PreprMediaKind.Video, [".mpg"] = PreprMediaKind.Video, [".mpeg"] = PreprMediaKind.Video,
        [".wmv"] = PreprMediaKind.Video, [".mxf"] = PreprMediaKind.Video,
        [".jpg"] = PreprMediaKind.Image, [".jpeg"] = PreprMediaKind.Image, [".png"] = PreprMediaKind.Image, [".gif"] = PreprMediaKind.Image,
        [".webp"] = PreprMediaKind.Image, [".svg"] = PreprMediaKind.Image, [".tif"] = PreprMediaKind.Image, [".tiff"] = PreprMediaKind.Image,
        [".bmp"] = PreprMediaKind.Image, [".heic"] = PreprMediaKind.Image, [".avif"] = PreprMediaKind.Image,
        [".pdf"] = PreprMediaKind.Document, [".doc"] = PreprMediaKind.Document, [".docx"] = PreprMediaKind.Document, [".xls"] = PreprMediaKind.Document,
        [".xlsx"] = PreprMediaKind.Document, [".ppt"] = PreprMediaKind.Document, [".pptx"] = PreprMediaKind.Document, [".odt"] = PreprMediaKind.Document,
        [".ods"] = PreprMediaKind.Document, [".odp"] = PreprMediaKind.Document, [".rtf"] = PreprMediaKind.Document, [".txt"] = PreprMediaKind.Document,
        [".csv"] = PreprMediaKind.Document, [".md"] = PreprMediaKind.Document, [".zip"] = PreprMediaKind.Document,
        [".mp3"] = PreprMediaKind.Audio, [".wav"] = PreprMediaKind.Audio, [".m4a"] = PreprMediaKind.Audio, [".aac"] = PreprMediaKind.Audio,
        [".ogg"] = PreprMediaKind.Audio, [".oga"] = PreprMediaKind.Audio, [".flac"] = PreprMediaKind.Audio, [".aif"] = PreprMediaKind.Audio,
        [".aiff"] = PreprMediaKind.Audio,
    };

    public static PreprMediaKind Of(string fileName) => ByExtension.GetValueOrDefault(Path.GetExtension(fileName), PreprMediaKind.None);
}
