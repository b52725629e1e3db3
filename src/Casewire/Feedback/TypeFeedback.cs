using Casewire.Data;
using Casewire.Milestones;
using Casewire.Texts;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Feedback;

/// <summary>
/// A project type's part of SPEC §13, as its page shows and edits it: when its clients are surveyed (on
/// completion: yes, no or the company's default; after which phases) and its texts in Spanish (the welcome and each
/// phase's message, each drip's), each checked as the English ones are; empty goes back to Casewire's Spanish text (for a
/// drip, which Casewire does not write, to the firm's English one).
/// </summary>
sealed class TypeFeedback(CasewireDb db, MilestoneTemplates templates, ClientTexts texts, TimeProvider time)
{
    public sealed record DripRow(int Id, int AfterDays, string English, string? Spanish);

    public sealed record PhaseRow(int Id, string Name, bool SendsSurvey, string? Spanish, IReadOnlyList<DripRow> Drips);

    public sealed record View(bool? SurveyOnCompletion, bool CompanyDefault, string? SpanishWelcome, IReadOnlyList<PhaseRow> Phases);

    /// <summary>The form as posted: <c>completion</c> is <c>yes</c>, <c>no</c> or <c>default</c>.</summary>
    public sealed record Change(string? Completion, IReadOnlyCollection<int> SurveyPhaseIds, string? SpanishWelcome, IReadOnlyDictionary<int, string?> SpanishPhases,
        IReadOnlyDictionary<int, string?> SpanishDrips);

    public async Task<View?> LoadAsync(int companyId, int typeId, CancellationToken ct)
    {
        var type = await db.ProjectTypes.AsNoTracking().ForCompany(companyId).Include(t => t.Phases).ThenInclude(p => p.Drips).FirstOrDefaultAsync(t => t.Id == typeId, ct);
        if (type is null) return null;
        var companyDefault = await db.Companies.Where(c => c.Id == companyId).Select(c => c.SurveyOnCompletion).SingleAsync(ct);
        var own = await texts.AllAsync(companyId, ct);
        return new View(type.SurveyOnCompletion, companyDefault, own.GetValueOrDefault((TextKeys.Welcome(type.Id), Languages.Spanish)),
            type.Phases.OrderBy(p => p.Step).Select(p => new PhaseRow(p.Id, p.Name, p.SendsSurvey, own.GetValueOrDefault((TextKeys.Phase(p.Id), Languages.Spanish)),
                p.Drips.OrderBy(d => d.AfterDays).ThenBy(d => d.Id)
                    .Select(d => new DripRow(d.Id, d.AfterDays, d.Template, own.GetValueOrDefault((TextKeys.Drip(d.Id), Languages.Spanish)))).ToList()))
                .ToList());
    }

    /// <summary>Saves it all, or nothing: the errors are keyed by the form field at fault.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(int companyId, int typeId, Change change, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var type = await db.ProjectTypes.ForCompany(companyId).Include(t => t.Phases).ThenInclude(p => p.Drips).FirstOrDefaultAsync(t => t.Id == typeId, ct);
        if (type is null) return new Dictionary<string, string> { ["feedback"] = $"No project type {typeId} exists in this company." };
        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == companyId, ct);
        void Check(string key, string? text, string? phaseName)
        {
            if (string.IsNullOrWhiteSpace(text)) return;
            var outcome = templates.Check(company, text, phaseName);
            if (!outcome.Saved) errors[key] = string.Join(" ", outcome.Errors);
        }
        Check("welcome-es", change.SpanishWelcome, null);
        foreach (var phase in type.Phases)
        {
            Check($"phase-{phase.Id}-es", change.SpanishPhases.GetValueOrDefault(phase.Id), phase.Name);
            foreach (var drip in phase.Drips) Check($"drip-{drip.Id}-es", change.SpanishDrips.GetValueOrDefault(drip.Id), phase.Name);
        }
        bool? completion = change.Completion switch { "yes" => true, "no" => false, _ => null };
        if (change.Completion is not (null or "yes" or "no" or "default")) errors["completion"] = "Choose yes, no or the company's default.";
        if (errors.Count > 0) return errors;

        var now = time.GetUtcNow();
        type.SurveyOnCompletion = completion;
        await texts.SetAsync(companyId, TextKeys.Welcome(type.Id), Languages.Spanish, change.SpanishWelcome, now, ct);
        foreach (var phase in type.Phases)
        {
            phase.SendsSurvey = change.SurveyPhaseIds.Contains(phase.Id);
            await texts.SetAsync(companyId, TextKeys.Phase(phase.Id), Languages.Spanish, change.SpanishPhases.GetValueOrDefault(phase.Id), now, ct);
            foreach (var drip in phase.Drips)
                await texts.SetAsync(companyId, TextKeys.Drip(drip.Id), Languages.Spanish, change.SpanishDrips.GetValueOrDefault(drip.Id), now, ct);
        }
        await db.SaveChangesAsync(ct);
        return errors;
    }
}
