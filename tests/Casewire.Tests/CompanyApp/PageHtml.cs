using System.Net;
using System.Text.RegularExpressions;

namespace Casewire.Tests.CompanyApp;

/// <summary>Reads what the admin pages mark for machines (data attributes, validation spans) out of their HTML.</summary>
public static partial class PageHtml
{
    /// <summary>A dashboard number: <c>data-stat="queued"</c>.</summary>
    public static int Stat(string html, string name) =>
        int.Parse(Regex.Match(html, $"data-stat=\"{name}\">(\\d+)<") is { Success: true } m ? m.Groups[1].Value
            : throw new Xunit.Sdk.XunitException($"no stat '{name}' on the page"));

    /// <summary>The text of the element carrying <paramref name="attribute"/> (e.g. <c>data-token</c>), or null.</summary>
    public static string? TextOf(string html, string attribute) =>
        Regex.Match(html, $"{attribute}>([^<]*)<") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value).Trim() : null;

    /// <summary>The validation message shown next to a form field (empty when there is none).</summary>
    public static string FieldError(string html, string field) =>
        Regex.Match(html, $"data-valmsg-for=\"{Regex.Escape(field)}\"[^>]*>([^<]*)<") is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new Xunit.Sdk.XunitException($"no validation message slot for {field}");

    /// <summary>The values of <paramref name="attribute"/> on the page, in order (e.g. every <c>data-id</c>).</summary>
    public static List<string> Values(string html, string attribute) =>
        Regex.Matches(html, $"{attribute}=\"([^\"]*)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    /// <summary>The "Older" link of the delivery log, or null on the last page.</summary>
    public static string? NextPage(string html) =>
        NextLink().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("<a href=\"([^\"]+)\" rel=\"next\">")]
    private static partial Regex NextLink();
}
