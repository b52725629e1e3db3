using Casewire.Data;
using Casewire.Delivery;
using Casewire.Milestones;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.CompanyApp.Projects;

/// <summary>What the project-type page shows: the tracker, each text with its stored value and how a client reads it.</summary>
sealed class TypeView
{
    public required Company Company { get; init; }
    public required DateTimeZone Zone { get; init; }
    public required ProjectType Type { get; init; }
    public required IReadOnlyList<PhaseView> Phases { get; init; }
    public required IReadOnlyList<Unmapped> UnmappedNames { get; init; }
    /// <summary>The welcome as stored (null: the default) and its preview.</summary>
    public required Text Welcome { get; init; }

    public sealed record PhaseView(Phase Phase, int Projects, string? RemovalBlocker, Text Message, IReadOnlyList<(PhaseDrip Drip, Text Text)> Drips);

    /// <summary>A stored text (null: the default one), the text in force, and its sample rendering (null only for a text stored before checks).</summary>
    public sealed record Text(string? Stored, string InForce, MilestoneTemplates.Preview? Preview)
    {
        public bool IsDefault => Stored is null;
    }

    public sealed record Unmapped(UnmappedPhaseName Name, string? ExampleProject);

    /// <summary>A drip as typed into its form: numbers may be missing or wrong, which the save then explains.</summary>
    public sealed record DripForm(int? AfterDays, int? RepeatEveryDays, int? MaxTimes, string? Text)
    {
        public MilestoneTemplates.DripRequest ToRequest() => new(AfterDays ?? 0, Text ?? "", RepeatEveryDays, MaxTimes ?? 1);
    }

    public static string Encoding(string text) => SmsSegments.IsGsm7(text) ? "GSM-7" : "UCS-2";

    /// <summary><c>2 SMS segments · GSM-7 · 187 characters</c>, naming the first character that forces UCS-2.</summary>
    public static string SegmentNote(MilestoneTemplates.Preview preview)
    {
        var note = $"{ProjectLabels.Plural(preview.Segments, "SMS segment", "SMS segments")} · {Encoding(preview.Text)} · {preview.Text.Length} characters";
        var culprit = preview.Text.FirstOrDefault(c => !SmsSegments.IsGsm7(c.ToString()));
        return culprit == default ? note : $"{note} (because of “{(char.IsSurrogate(culprit) ? "an emoji" : culprit.ToString())}”: 70 characters a segment instead of 160)";
    }

    public static async Task<TypeView?> LoadAsync(CasewireDb db, MilestoneTemplates templates, CaseTrackerEdits edits, int companyId, int typeId,
        CancellationToken ct)
    {
        var type = await db.ProjectTypes.AsNoTracking()
            .Include(t => t.Phases).ThenInclude(p => p.Triggers)
            .Include(t => t.Phases).ThenInclude(p => p.Drips)
            .AsSplitQuery()
            .ForCompany(companyId).FirstOrDefaultAsync(t => t.Id == typeId, ct);
        if (type is null) return null;
        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == companyId, ct);

        Text TextOf(string? stored, string fallback, string? phaseName)
        {
            var inForce = stored ?? fallback;
            return new Text(stored, inForce, templates.Check(company, inForce, phaseName).Preview);
        }

        var counts = await db.Projects.ForCompany(companyId).Where(p => p.ProjectTypeId == typeId && p.PhaseId != null)
            .GroupBy(p => p.PhaseId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var phases = new List<PhaseView>();
        foreach (var phase in type.Phases.OrderBy(p => p.Step))
            phases.Add(new PhaseView(phase, counts.GetValueOrDefault(phase.Id), await edits.RemovalBlockerAsync(phase, ct),
                TextOf(phase.MessageTemplate, DefaultTexts.PhaseChange, phase.Name),
                phase.Drips.OrderBy(d => d.AfterDays).ThenBy(d => d.Id).Select(d => (d, TextOf(d.Template, d.Template, phase.Name))).ToList()));

        var unmapped = await db.UnmappedPhaseNames.AsNoTracking().Where(u => u.ProjectTypeId == typeId)
            .OrderByDescending(u => u.LastSeenAt).ThenBy(u => u.Id)
            .Select(u => new Unmapped(u, db.Projects.Where(p => p.Id == u.LastProjectId && p.CompanyId == companyId).Select(p => p.Name).FirstOrDefault()))
            .ToListAsync(ct);

        return new TypeView
        {
            Company = company, Zone = CompanyTime.Of(company.TimeZone).Zone, Type = type, Phases = phases, UnmappedNames = unmapped,
            Welcome = TextOf(type.WelcomeTemplate, DefaultTexts.Welcome, type.Phases.OrderBy(p => p.Step).FirstOrDefault()?.Name),
        };
    }
}
