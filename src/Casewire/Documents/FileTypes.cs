using System.IO.Compression;
using System.Text;

namespace Casewire.Documents;

/// <summary>A type a document may have (SPEC §14), as its first bytes tell it.</summary>
sealed record FileType(string ContentType, string Extension, string Name)
{
    /// <summary>Extensions a name may already end in for this type (kept as they are).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}

/// <summary>
/// The type of a file by its content (magic bytes), never by its name or the uploader's Content-Type: PDF, JPEG, PNG,
/// GIF, WebP, HEIC/HEIF (phone photos) and DOCX (a zip holding a Word document). Anything else is refused.
/// </summary>
static class FileTypes
{
    public static readonly FileType Pdf = new("application/pdf", ".pdf", "PDF");
    public static readonly FileType Jpeg = new("image/jpeg", ".jpg", "JPEG") { Aliases = [".jpeg", ".jpe"] };
    public static readonly FileType Png = new("image/png", ".png", "PNG");
    public static readonly FileType Gif = new("image/gif", ".gif", "GIF");
    public static readonly FileType WebP = new("image/webp", ".webp", "WebP");
    public static readonly FileType Heic = new("image/heic", ".heic", "HEIC");
    public static readonly FileType Heif = new("image/heif", ".heif", "HEIF") { Aliases = [".heic"] };
    public static readonly FileType Docx = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "DOCX");

    /// <summary>The accepted types as a problem's detail names them.</summary>
    public const string Accepted = "PDF, JPEG, PNG, GIF, WebP, HEIC/HEIF or DOCX";

    /// <summary>The type of <paramref name="content"/> (seekable; read from the start and left at the start), or null when it is none accepted.</summary>
    public static FileType? Detect(Stream content)
    {
        var head = new byte[32];
        content.Position = 0;
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        content.Position = 0;
        var type = ByHead(head.AsSpan(0, read));
        if (type == Docx && !IsWordDocument(content)) type = null;
        content.Position = 0;
        return type;
    }

    static FileType? ByHead(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith("%PDF-"u8)) return Pdf;
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Jpeg;
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8)) return Gif;
        if (b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return WebP;
        // ISO base media (HEIF): a box "ftyp" at offset 4 and the major brand after it.
        if (b.Length >= 12 && b[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(b[8..12]);
            return brand switch
            {
                "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx" => Heic,
                "mif1" or "msf1" => Heif,
                _ => null,
            };
        }
        if (b.StartsWith("PK\u0003\u0004"u8)) return Docx; // confirmed by IsWordDocument
        return null;
    }

    /// <summary>A zip is a DOCX only when it holds an Office content-type list and a Word main part.</summary>
    static bool IsWordDocument(Stream content)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            return zip.GetEntry("[Content_Types].xml") is not null && zip.GetEntry("word/document.xml") is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
