using System.Globalization;
using System.Text.RegularExpressions;
using Casewire.Model;

namespace Casewire.Texts;

/// <summary>
/// The languages Casewire has client texts for (SPEC §13), and which one a client reads: the contact's own,
/// else the company's default, else English. A tag is BCP 47 (<c>es</c>, <c>es-MX</c>); its primary subtag
/// chooses the texts.
/// </summary>
static partial class Languages
{
    public const string English = "en";
    public const string Spanish = "es";

    public static readonly IReadOnlyList<string> Supported = [English, Spanish];

    /// <summary>How each is named in the Company App's pickers.</summary>
    public static string DisplayName(string language) => language == Spanish ? "Spanish (español)" : "English";

    public static string Accepted => string.Join(", ", Supported) + " (a region may follow, e.g. es-MX)";

    /// <summary>Reads a tag as typed: true with it in canonical case (<c>es-MX</c>) when Casewire has texts for its language.</summary>
    public static bool TryRead(string? value, out string tag)
    {
        tag = "";
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length > Limits.Language || !Tag().IsMatch(trimmed)) return false;
        var parts = trimmed.Split('-');
        if (!Supported.Contains(parts[0].ToLowerInvariant())) return false;
        tag = string.Join('-', parts.Select((p, i) => i == 0 ? p.ToLowerInvariant() : p.Length == 2 ? p.ToUpperInvariant() : p));
        return true;
    }

    /// <summary>The language of texts for a tag; null when there is none (or none Casewire writes).</summary>
    public static string? Of(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var primary = tag.Split('-')[0].ToLowerInvariant();
        return Supported.Contains(primary) ? primary : null;
    }

    /// <summary>The language a client reads: theirs, else the company's default, else English.</summary>
    public static string For(string? contactLanguage, string? companyLanguage) => Of(contactLanguage) ?? Of(companyLanguage) ?? English;

    public static string For(Contact? contact, Company company) => For(contact?.Language, company.Language);

    public static CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(Of(language) ?? English);

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex Tag();
}
