using Casewire.Calendar;
using Casewire.Data;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Portal;
using Casewire.Texts;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp;

/// <summary>
/// The firm's own wording of its company-wide client texts in each language (SPEC §13, §14), as Settings → Client texts
/// shows and edits them: the survey, the review request, the HELP answer, event reminders and the document notice.
/// Each is checked as a milestone template is (<see cref="Template.TryParse"/>, with the placeholders that text can
/// fill); empty goes back to Casewire's text in that language. The English HELP answer is the company's HELP text (the
/// one the Company settings and <c>casewire company update --help-text</c> set), so there is one of it.
/// </summary>
sealed class FirmTexts(CasewireDb db, ClientTexts texts, TimeProvider time)
{
    /// <param name="Placeholders">What this text may name; anything else is refused when it is saved.</param>
    public sealed record Kind(string Key, string Name, string Hint, IReadOnlyList<string> Placeholders);

    /// <summary>One text in one language: the firm's own (null: Casewire's is sent) and Casewire's, as a client would read it.</summary>
    public sealed record Row(Kind Kind, string Language, string? Own, string Default)
    {
        /// <summary>The form field's name, and the key of its error (<c>survey-es</c>).</summary>
        public string Field => FieldOf(Kind.Key, Language);
    }

    static readonly IReadOnlyList<string> ClientPlaceholders =
        ["client.firstName", "client.lastName", "project.name", "company.name", "portal.link", "review.link"];

    public static readonly IReadOnlyList<Kind> Kinds =
    [
        new(TextKeys.Survey, "Satisfaction survey", "asks for a 0–10 answer by reply", ClientPlaceholders),
        new(TextKeys.ReviewRequest, "Review request", "to a client who scores 9 or 10, once; needs your review link", ClientPlaceholders),
        new(TextKeys.Help, "HELP answer", "the reply to a client who texts HELP or INFO", Template.HelpPlaceholders),
        new(TextKeys.Reminder, "Event reminder", "to attendees and team members before an event; the date is written in the text's language",
            Template.ReminderPlaceholders),
        new(TextKeys.DocumentNotice, "Document notice", "to each client when you share a document with notify", Template.DocumentNoticePlaceholders),
    ];

    public static string FieldOf(string key, string language) => $"{key}-{language}";

    public async Task<IReadOnlyList<Row>> LoadAsync(int companyId, CancellationToken ct)
    {
        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == companyId, ct);
        var own = await texts.AllAsync(companyId, ct);
        return [.. Kinds.SelectMany(kind => Languages.Supported.Select(language => new Row(kind, language,
            kind.Key == TextKeys.Help && language == Languages.English ? company.HelpText : own.GetValueOrDefault((kind.Key, language)),
            DefaultOf(kind.Key, language, company.Name))))];
    }

    /// <summary>
    /// Saves every posted text (keyed by <see cref="Row.Field"/>; one not posted is left as it is), or none: the errors
    /// are keyed by the field at fault and name the placeholders accepted.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(int companyId, IReadOnlyDictionary<string, string?> posted, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var changes = new List<(Kind Kind, string Language, string? Text)>();
        foreach (var kind in Kinds)
            foreach (var language in Languages.Supported)
            {
                if (!posted.TryGetValue(FieldOf(kind.Key, language), out var text)) continue;
                if (!string.IsNullOrWhiteSpace(text) && !Template.TryParse(text, out _, out var found, kind.Placeholders))
                    errors[FieldOf(kind.Key, language)] = $"{kind.Name} ({Languages.DisplayName(language)}): {string.Join(" ", found)}";
                changes.Add((kind, language, text));
            }
        if (errors.Count > 0) return errors;

        var company = await db.Companies.SingleAsync(c => c.Id == companyId, ct);
        var now = time.GetUtcNow();
        foreach (var (kind, language, text) in changes)
        {
            if (kind.Key == TextKeys.Help && language == Languages.English)
                company.HelpText = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
            else
                await texts.SetAsync(companyId, kind.Key, language, text, now, ct);
        }
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>Casewire's own text: the template for those that are one, a sample for those written from the event or document.</summary>
    static string DefaultOf(string key, string language, string firm) => key switch
    {
        TextKeys.Survey => BuiltInTexts.Of(TextKind.Survey, language),
        TextKeys.ReviewRequest => BuiltInTexts.Of(TextKind.ReviewRequest, language),
        TextKeys.Help => BuiltInTexts.Of(TextKind.Help, language),
        TextKeys.Reminder => EventTexts.Reminder(SampleEvent, firm, language),
        _ => DocumentTexts.Notice(firm, "Maria", "Rodriguez v. Acme Insurance", language == Languages.Spanish ? "Tarjeta del seguro" : "Insurance card",
            "{portal.link}", language),
    };

    static readonly CalendarEvent SampleEvent = new()
    {
        ExternalId = "sample", Title = "Deposition", Location = "100 Main St", TimeZone = "America/New_York",
        StartAt = new DateTimeOffset(2025, 1, 8, 15, 0, 0, TimeSpan.Zero),
    };
}
