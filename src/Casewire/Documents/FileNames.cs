namespace Casewire.Documents;

/// <summary>
/// Names a download is offered as: the uploader's last path segment only (no <c>../</c>, no folders, either slash),
/// without control or reserved characters, leading dots or trailing spaces, at most 150 characters, and ending in
/// the extension of the type the content has (appended when the name says otherwise).
/// </summary>
static class FileNames
{
    const int MaxLength = 150;
    static readonly char[] Reserved = ['<', '>', ':', '"', '|', '?', '*', '/', '\\', ';'];

    public static string Sanitize(string? name, FileType type)
    {
        var last = (name ?? "").Replace('\\', '/');
        last = last[(last.LastIndexOf('/') + 1)..];
        var kept = new string(last.Where(c => !char.IsControl(c) && !Reserved.Contains(c)
                                              && char.GetUnicodeCategory(c) is not (System.Globalization.UnicodeCategory.Format
                                                  or System.Globalization.UnicodeCategory.OtherNotAssigned or System.Globalization.UnicodeCategory.Surrogate)).ToArray());
        kept = kept.Trim().TrimStart('.').Trim().TrimEnd('.').Trim();

        var extension = Path.GetExtension(kept).ToLowerInvariant();
        var matches = extension == type.Extension || type.Aliases.Contains(extension);
        var stem = matches ? kept[..^extension.Length] : kept;
        var ending = matches ? kept[^extension.Length..] : type.Extension;
        stem = stem.Trim().TrimEnd('.');
        if (stem.Length == 0) stem = "document";
        if (stem.Length + ending.Length > MaxLength) stem = stem[..(MaxLength - ending.Length)].TrimEnd('.', ' ');
        return stem + ending;
    }
}
