using System.Text;
using Casewire.Model;

namespace Casewire.Milestones;

/// <summary>
/// A notification text with placeholders (SPEC §6): <c>{client.firstName}</c>, <c>{client.lastName}</c>,
/// <c>{project.name}</c>, <c>{phase.name}</c>, <c>{company.name}</c>, <c>{portal.link}</c>, <c>{review.link}</c> (SPEC §13; names match
/// ignoring case; <c>{{</c> and <c>}}</c> are literal braces). A reminder's and a document notice's own texts (SPEC §13, §14) may also
/// name what they are about (<see cref="ReminderPlaceholders"/>, <see cref="DocumentNoticePlaceholders"/>). It is checked when it is saved — an unknown
/// placeholder or an unbalanced brace is refused there, naming it — so sending never fails: a stored
/// text that somehow is not valid renders its unknown parts as written.
/// </summary>
sealed class Template
{
    public static readonly IReadOnlyList<string> Placeholders =
        ["client.firstName", "client.lastName", "project.name", "phase.name", "company.name", "portal.link", "review.link"];

    /// <summary>What a firm's own reminder text may say: the event, never a client (team members get it too).</summary>
    public static readonly IReadOnlyList<string> ReminderPlaceholders = ["company.name", "event.title", "event.when", "event.location"];

    /// <summary>What the HELP answer may say: it goes to whoever texts HELP, a client or not.</summary>
    public static readonly IReadOnlyList<string> HelpPlaceholders = ["company.name"];

    /// <summary>What a firm's own document notice may say: the milestone names and the document's title.</summary>
    public static readonly IReadOnlyList<string> DocumentNoticePlaceholders =
        ["client.firstName", "client.lastName", "project.name", "company.name", "portal.link", "document.title"];

    /// <summary>Every placeholder some text may use: a stored text renders each of them.</summary>
    static readonly IReadOnlyList<string> Known = [.. Placeholders, "event.title", "event.when", "event.location", "document.title"];

    /// <summary>The placeholders as a person types them, for messages and hints.</summary>
    public static string List(IReadOnlyList<string> placeholders) => string.Join(", ", placeholders.Select(p => "{" + p + "}"));

    /// <summary>A literal run of text, or (when <see cref="Placeholder"/> is set) a placeholder to fill.</summary>
    readonly record struct Part(string Text, string? Placeholder);

    readonly List<Part> _parts;

    public string Text { get; }

    Template(string text, List<Part> parts) => (Text, _parts) = (text, parts);

    /// <summary>Parses <paramref name="text"/>; the errors say what is wrong and where, for the person who typed it.</summary>
    /// <param name="allowed">The placeholders this text may use; <see cref="Placeholders"/> when not given.</param>
    public static bool TryParse(string? text, out Template template, out IReadOnlyList<string> errors, IReadOnlyList<string>? allowed = null)
    {
        var found = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) found.Add("The text is empty; write what clients should read.");
        else if (text.Length > Limits.MessageText) found.Add($"The text is {text.Length} characters long; at most {Limits.MessageText} are accepted.");
        template = Read(text ?? "", found, allowed ?? Placeholders);
        errors = found;
        return found.Count == 0;
    }

    /// <summary>For texts that were validated when saved (and the built-in defaults): never throws.</summary>
    public static Template FromStored(string text) => Read(text, errors: null, Known);

    /// <summary>True when the text has <paramref name="placeholder"/> (as listed in <see cref="Placeholders"/>).</summary>
    public bool Uses(string placeholder) => _parts.Any(p => p.Placeholder == placeholder);

    /// <summary>
    /// The value of <c>{portal.link}</c> for this text: <paramref name="issue"/> is called only when the text carries the
    /// placeholder (a short link is a stored row, SPEC §11: a text without it makes none); empty otherwise.
    /// </summary>
    public string PortalLink(Func<string> issue) => Uses("portal.link") ? issue() : "";

    /// <summary>
    /// The text with each placeholder filled; at most <see cref="Limits.MessageText"/> characters. A text over the limit
    /// loses words, never its <c>{portal.link}</c> (a link cut short opens nothing): cut from the end, the words after the
    /// link's first use go first; when that is not enough, the words before it are shortened and the link ends the text.
    /// </summary>
    public string Render(TemplateValues values)
    {
        var pieces = _parts.Select(p => (Text: p.Placeholder is { } name ? values.Of(name) : p.Text, Kept: p.Placeholder == "portal.link")).ToList();
        var whole = string.Concat(pieces.Select(p => p.Text));
        if (whole.Length <= Limits.MessageText) return whole;
        var first = pieces.FindIndex(p => p.Kept && p.Text.Length > 0);
        if (first < 0) return whole[..(Limits.MessageText - 1)] + "…";
        var head = string.Concat(pieces.Take(first).Select(p => p.Text));
        var kept = pieces[first].Text;
        var tail = string.Concat(pieces.Skip(first + 1).Select(p => p.Text));
        var room = Limits.MessageText - head.Length - kept.Length - 1; // for the tail and its "…"
        if (room > 0) return head + kept + tail[..room] + "…";
        var before = Math.Max(0, Limits.MessageText - kept.Length - 2);
        return head[..Math.Min(before, head.Length)].TrimEnd() + "… " + kept;
    }

    static Template Read(string text, List<string>? errors, IReadOnlyList<string> allowed)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c); // {{ or }}: a literal brace
                i++;
                continue;
            }
            if (c == '}')
            {
                errors?.Add($"Unbalanced '}}' at character {i + 1}; write '}}}}' for a literal brace.");
                literal.Append(c);
                continue;
            }
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            var close = text.IndexOfAny(['{', '}'], i + 1);
            if (close < 0 || text[close] == '{')
            {
                errors?.Add($"Unbalanced '{{' at character {i + 1}: close the placeholder with '}}', or write '{{{{' for a literal brace.");
                literal.Append(c);
                continue;
            }
            var written = text[(i + 1)..close];
            var name = allowed.FirstOrDefault(p => p.Equals(written.Trim(), StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                errors?.Add(written.Trim().Length == 0
                    ? $"Empty placeholder '{{}}' at character {i + 1}; use one of {List(allowed)}."
                    : $"Unknown placeholder {{{written.Trim()}}}; use one of {List(allowed)}.");
                literal.Append(text, i, close - i + 1);
            }
            else
            {
                if (literal.Length > 0) parts.Add(new Part(literal.ToString(), null));
                literal.Clear();
                parts.Add(new Part("", name));
            }
            i = close;
        }
        if (literal.Length > 0) parts.Add(new Part(literal.ToString(), null));
        return new Template(text, parts);
    }
}

/// <summary>What the placeholders of a <see cref="Template"/> stand for, for one client.</summary>
sealed record TemplateValues(
    string ClientFirstName, string ClientLastName, string ProjectName, string PhaseName, string CompanyName, string PortalLink,
    string ReviewLink = "", string EventTitle = "", string EventWhen = "", string EventLocation = "", string DocumentTitle = "")
{
    public string Of(string placeholder) => placeholder switch
    {
        "client.firstName" => ClientFirstName,
        "client.lastName" => ClientLastName,
        "project.name" => ProjectName,
        "phase.name" => PhaseName,
        "company.name" => CompanyName,
        "portal.link" => PortalLink,
        "review.link" => ReviewLink,
        "event.title" => EventTitle,
        "event.when" => EventWhen,
        "event.location" => EventLocation,
        "document.title" => DocumentTitle,
        _ => "{" + placeholder + "}",
    };
}
