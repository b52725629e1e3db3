using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Texts;

/// <summary>
/// Which words a client gets (SPEC §13), in one place for every feature that writes to clients: the firm's
/// own text in the client's language when it wrote one, else (for English) the text stored where it always
/// was (a type's welcome, a phase's message, a drip, the company's HELP text), else Casewire's built-in text
/// in that language. The firm's texts are read once per unit of work and company.
/// </summary>
sealed class ClientTexts(CasewireDb db)
{
    readonly Dictionary<int, Dictionary<(string Key, string Language), string>> _overrides = [];

    /// <summary>The template to render for <paramref name="key"/> in <paramref name="language"/>.</summary>
    /// <param name="stored">The firm's text kept on the entity (the English one, or the only one of a drip); null when it has none.</param>
    /// <param name="builtIn">Casewire's own text of this kind; null for texts only the firm writes (drips).</param>
    public async Task<string> TemplateAsync(int companyId, string key, string language, string? stored, TextKind? builtIn, CancellationToken ct)
    {
        var texts = await OverridesAsync(companyId, ct);
        var lang = Languages.Of(language) ?? Languages.English;
        if (texts.TryGetValue((key, lang), out var own)) return own;
        if (stored is not null && (lang == Languages.English || builtIn is null)) return stored;
        return builtIn is { } kind ? BuiltInTexts.Of(kind, lang) : stored ?? "";
    }

    /// <summary>The firm's own text for <paramref name="key"/> in <paramref name="language"/>, if it wrote one.</summary>
    public async Task<string?> OwnAsync(int companyId, string key, string language, CancellationToken ct) =>
        (await OverridesAsync(companyId, ct)).GetValueOrDefault((key, language));

    /// <summary>The firm's own wording of <paramref name="key"/> in each language it wrote one (e.g. its reminders).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ByLanguageAsync(int companyId, string key, CancellationToken ct) =>
        (await OverridesAsync(companyId, ct)).Where(t => t.Key.Key == key).ToDictionary(t => t.Key.Language, t => t.Value);

    /// <summary>Every text the firm wrote, keyed by text and language (for the pages that edit them).</summary>
    public async Task<IReadOnlyDictionary<(string Key, string Language), string>> AllAsync(int companyId, CancellationToken ct) =>
        await OverridesAsync(companyId, ct);

    /// <summary>Saves the firm's text (checked by the caller); null or blank goes back to the default. Tracked; the caller saves.</summary>
    public async Task SetAsync(int companyId, string key, string language, string? text, DateTimeOffset now, CancellationToken ct)
    {
        var row = await db.LocalizedTexts.ForCompany(companyId).FirstOrDefaultAsync(t => t.Key == key && t.Language == language, ct);
        var texts = await OverridesAsync(companyId, ct);
        if (string.IsNullOrWhiteSpace(text))
        {
            if (row is not null) db.LocalizedTexts.Remove(row);
            texts.Remove((key, language));
            return;
        }
        row ??= db.LocalizedTexts.Add(new LocalizedText { CompanyId = companyId, Key = key, Language = language, Text = "" }).Entity;
        row.Text = text.Trim();
        row.UpdatedAt = now;
        texts[(key, language)] = row.Text;
    }

    async Task<Dictionary<(string Key, string Language), string>> OverridesAsync(int companyId, CancellationToken ct)
    {
        if (_overrides.TryGetValue(companyId, out var known)) return known;
        var rows = await db.LocalizedTexts.AsNoTracking().ForCompany(companyId).Select(t => new { t.Key, t.Language, t.Text }).ToListAsync(ct);
        return _overrides[companyId] = rows.ToDictionary(r => (r.Key, r.Language), r => r.Text);
    }
}
