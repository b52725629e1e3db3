using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Milestones;

/// <summary>
/// Finds a project's type and phase from the CMS's names (SPEC §3) so an integrator needs no setup:
/// an unknown type is created in learning mode; a learning type appends an unknown phase name as a
/// new phase; a locked type records the name as unmapped and keeps the project where it was.
/// Runs inside the caller's transaction: everything it learns is undone if the request fails.
/// </summary>
static class CaseTrackers
{
    public sealed record Placement(ProjectType Type, Phase? Phase, bool Unmapped);

    public static async Task<Placement> PlaceAsync(
        CasewireDb db, int companyId, string typeName, string phaseName, Project? current, DateTimeOffset now, CancellationToken ct)
    {
        var type = await FindOrLearnTypeAsync(db, companyId, typeName, now, ct);
        var phaseKey = PartnerNames.Normalize(phaseName);
        var mapped = type.Phases.FirstOrDefault(p => p.Triggers.Any(t => t.NormalizedName == phaseKey));
        if (mapped is not null) return new Placement(type, mapped, Unmapped: false);

        if (!type.IsLocked)
        {
            var learned = type.AppendPhase(phaseName);
            await db.SaveChangesAsync(ct);
            db.PhaseTriggers.Add(new PhaseTrigger { PhaseId = learned.Id, ProjectTypeId = type.Id, Name = phaseName, NormalizedName = phaseKey });
            await db.SaveChangesAsync(ct);
            return new Placement(type, learned, Unmapped: false);
        }

        await RecordUnmappedAsync(db, type, phaseName, phaseKey, current, now, ct);
        // Stay in the last mapped phase; a new project (or one moved from another type) starts at step 0.
        var stay = current?.ProjectTypeId == type.Id && current.PhaseId is { } phaseId
            ? type.Phases.First(p => p.Id == phaseId)
            : type.Phases.OrderBy(p => p.Step).FirstOrDefault();
        return new Placement(type, stay, Unmapped: true);
    }

    static async Task<ProjectType> FindOrLearnTypeAsync(CasewireDb db, int companyId, string typeName, DateTimeOffset now, CancellationToken ct)
    {
        var key = PartnerNames.Normalize(typeName);
        // One statement: a type's phases, their CMS names and drips are the firm's configuration, a few rows each, so
        // joining them costs less than a round trip per collection. The drips are what the milestones of the
        // project placed here plan (MilestoneMessages), so those need no statement of their own.
        var type = await db.ProjectTypes
            .Include(t => t.Phases).ThenInclude(p => p.Triggers)
            .Include(t => t.Phases).ThenInclude(p => p.Drips)
            .AsSingleQuery()
            .ForCompany(companyId).FirstOrDefaultAsync(t => t.NormalizedName == key, ct);
        if (type is not null) return type;

        type = db.ProjectTypes.Add(new ProjectType { CompanyId = companyId, Name = typeName, NormalizedName = key, CreatedAt = now }).Entity;
        await db.SaveChangesAsync(ct);
        return type;
    }

    static async Task RecordUnmappedAsync(
        CasewireDb db, ProjectType type, string phaseName, string phaseKey, Project? current, DateTimeOffset now, CancellationToken ct)
    {
        var seen = await db.UnmappedPhaseNames.FirstOrDefaultAsync(u => u.ProjectTypeId == type.Id && u.NormalizedName == phaseKey, ct);
        seen ??= db.UnmappedPhaseNames.Add(new UnmappedPhaseName
        {
            ProjectTypeId = type.Id, Name = phaseName, NormalizedName = phaseKey, FirstSeenAt = now,
        }).Entity;
        seen.TimesSeen++;
        seen.LastSeenAt = now;
        seen.LastProjectId = current?.Id;
    }
}
