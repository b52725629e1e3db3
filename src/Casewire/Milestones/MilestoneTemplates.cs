using Casewire.Data;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Portal;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Milestones;

/// <summary>
/// Editing a company's notification texts: a project type's welcome, a phase's message and its drips
/// (SPEC §6; the Company App's Project types page is built on these). Every text is checked
/// here, when it is saved, so that sending never fails; the answer shows it as a client would read it
/// and how many SMS segments that costs.
/// </summary>
sealed class MilestoneTemplates(CasewireDb db, ShortLinks links, TimeProvider time)
{
    /// <summary>The text with sample names and a real-length portal link, and its SMS segment count.</summary>
    public sealed record Preview(string Text, int Segments);

    /// <summary>Saved when <see cref="Errors"/> is empty; otherwise nothing changed and the errors say why.</summary>
    public sealed record Outcome(IReadOnlyList<string> Errors, Preview? Preview, int? Id = null)
    {
        public bool Saved => Errors.Count == 0;
        public static Outcome Refused(params string[] errors) => new(errors, null);
    }

    /// <summary>A follow-up <paramref name="AfterDays"/> days into the phase, optionally repeated every few days.</summary>
    public sealed record DripRequest(int AfterDays, string Text, int? RepeatEveryDays = null, int MaxTimes = 1);

    const int MaxDays = 365;
    const int MaxRepeats = 10;

    /// <summary>Sets the welcome of a project type; null goes back to the default text.</summary>
    public async Task<Outcome> SetWelcomeAsync(int companyId, int projectTypeId, string? text, CancellationToken ct)
    {
        var type = await db.ProjectTypes.ForCompany(companyId).FirstOrDefaultAsync(t => t.Id == projectTypeId, ct);
        if (type is null) return Outcome.Refused($"No project type {projectTypeId} exists in this company.");
        var outcome = await CheckAsync(companyId, text ?? DefaultTexts.Welcome, phaseName: null, ct);
        if (!outcome.Saved) return outcome;
        type.WelcomeTemplate = Custom(text, DefaultTexts.Welcome);
        await db.SaveChangesAsync(ct);
        return outcome;
    }

    /// <summary>Sets what clients are told when a project enters the phase; null goes back to the default text.</summary>
    public async Task<Outcome> SetPhaseMessageAsync(int companyId, int phaseId, string? text, CancellationToken ct)
    {
        var phase = await PhaseAsync(companyId, phaseId, ct);
        if (phase is null) return Outcome.Refused($"No phase {phaseId} exists in this company.");
        var outcome = await CheckAsync(companyId, text ?? DefaultTexts.PhaseChange, phase.Name, ct);
        if (!outcome.Saved) return outcome;
        phase.MessageTemplate = Custom(text, DefaultTexts.PhaseChange);
        await db.SaveChangesAsync(ct);
        return outcome;
    }

    /// <summary>Adds a drip to the phase. It applies to projects that enter the phase from now on.</summary>
    public async Task<Outcome> AddDripAsync(int companyId, int phaseId, DripRequest drip, CancellationToken ct)
    {
        var phase = await PhaseAsync(companyId, phaseId, ct);
        if (phase is null) return Outcome.Refused($"No phase {phaseId} exists in this company.");
        var outcome = await CheckDripAsync(companyId, drip, phase.Name, ct);
        if (!outcome.Saved) return outcome;

        var saved = db.PhaseDrips.Add(new PhaseDrip { PhaseId = phase.Id, Template = "", CreatedAt = time.GetUtcNow() }).Entity;
        Apply(saved, drip);
        await db.SaveChangesAsync(ct);
        return outcome with { Id = saved.Id };
    }

    /// <summary>Changes a drip's timing or text. Like an added drip, it applies to projects that enter the phase from now on.</summary>
    public async Task<Outcome> UpdateDripAsync(int companyId, int dripId, DripRequest drip, CancellationToken ct)
    {
        var saved = await DripAsync(companyId, dripId, ct);
        if (saved is null) return Outcome.Refused($"No drip {dripId} exists in this company.");
        var phaseName = await db.Phases.Where(p => p.Id == saved.PhaseId).Select(p => p.Name).SingleAsync(ct);
        var outcome = await CheckDripAsync(companyId, drip, phaseName, ct);
        if (!outcome.Saved) return outcome;
        Apply(saved, drip);
        await db.SaveChangesAsync(ct);
        return outcome with { Id = saved.Id };
    }

    async Task<Outcome> CheckDripAsync(int companyId, DripRequest drip, string phaseName, CancellationToken ct)
    {
        var errors = new List<string>();
        if (drip.AfterDays is < 1 or > MaxDays) errors.Add($"afterDays must be 1 to {MaxDays}; it was {drip.AfterDays}.");
        if (drip.RepeatEveryDays is < 1 or > MaxDays) errors.Add($"repeatEveryDays must be 1 to {MaxDays} when given; it was {drip.RepeatEveryDays}.");
        if (drip.MaxTimes is < 1 or > MaxRepeats) errors.Add($"maxTimes must be 1 to {MaxRepeats}; it was {drip.MaxTimes}.");
        if (drip.RepeatEveryDays is null && drip.MaxTimes > 1) errors.Add("maxTimes above 1 needs repeatEveryDays: how many days apart the sends are.");
        var outcome = await CheckAsync(companyId, drip.Text, phaseName, ct);
        return errors.Count > 0 || !outcome.Saved ? Outcome.Refused([.. errors, .. outcome.Errors]) : outcome;
    }

    static void Apply(PhaseDrip saved, DripRequest drip)
    {
        saved.AfterDays = drip.AfterDays;
        saved.RepeatEveryDays = drip.RepeatEveryDays;
        saved.MaxTimes = drip.RepeatEveryDays is null ? 1 : drip.MaxTimes;
        saved.Template = drip.Text.Trim();
    }

    /// <summary>Removes a drip; what it already queued for projects in the phase still goes.</summary>
    public async Task<bool> RemoveDripAsync(int companyId, int dripId, CancellationToken ct)
    {
        var drip = await DripAsync(companyId, dripId, ct);
        if (drip is null) return false;
        db.PhaseDrips.Remove(drip);
        await db.SaveChangesAsync(ct);
        return true;
    }

    Task<PhaseDrip?> DripAsync(int companyId, int dripId, CancellationToken ct) => db.PhaseDrips
        .FirstOrDefaultAsync(d => d.Id == dripId && db.Phases.Any(p => p.Id == d.PhaseId && db.ProjectTypes.Any(t => t.Id == p.ProjectTypeId && t.CompanyId == companyId)), ct);

    /// <summary>Checks a text without saving it: the errors, or how a client would read it.</summary>
    public async Task<Outcome> CheckAsync(int companyId, string text, string? phaseName, CancellationToken ct)
    {
        if (!Template.TryParse(text, out _, out var errors)) return new Outcome(errors, null);
        return Check(await db.Companies.AsNoTracking().SingleAsync(c => c.Id == companyId, ct), text, phaseName);
    }

    /// <summary>The same, for a page that shows many texts of one company (no query per text).</summary>
    public Outcome Check(Company company, string text, string? phaseName)
    {
        if (!Template.TryParse(text, out var template, out var errors)) return new Outcome(errors, null);
        var sample = template.Render(new TemplateValues("Maria", "Rodriguez", "Rodriguez v. Acme Insurance", phaseName ?? "Discovery",
            company.Name, links.Sample(company)));
        return new Outcome([], new Preview(sample, SmsSegments.Count(sample)));
    }

    /// <summary>The text to store: null (the default, which may improve later) when it is the default word for word.</summary>
    static string? Custom(string? text, string defaultText) => text?.Trim() is { } t && t != defaultText ? t : null;

    Task<Phase?> PhaseAsync(int companyId, int phaseId, CancellationToken ct) =>
        db.Phases.FirstOrDefaultAsync(p => p.Id == phaseId && db.ProjectTypes.Any(t => t.Id == p.ProjectTypeId && t.CompanyId == companyId), ct);
}
