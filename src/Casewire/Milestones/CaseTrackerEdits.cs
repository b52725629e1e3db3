using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Milestones;

/// <summary>
/// An admin's changes to a company's case trackers (SPEC §3, §8; Company App → Project types): the
/// phases, their order and client-facing names, the CMS phase names (triggers) that map to each, and
/// learning vs locked. Each change is checked here and either applied whole (one transaction) or
/// refused with a sentence saying why, so a form can show it next to the field.
/// <para>
/// When a CMS name becomes a trigger of a phase — added by hand, or an unmapped name mapped with one
/// click — the projects of that type whose CMS phase is that name move into the phase <em>as if the CMS
/// had just sent it</em>, through the same <see cref="PhaseEntries"/> a PUT uses.
/// </para>
/// </summary>
sealed class CaseTrackerEdits(CasewireDb db, PhaseEntries phases, TimeProvider time)
{
    /// <summary>Applied when <see cref="Error"/> is null; <see cref="Done"/> says what happened, for the next page.</summary>
    public sealed record Outcome(string? Error, string? Done = null)
    {
        public bool Saved => Error is null;
        public static Outcome Refused(string error) => new(error);
    }

    public async Task<Outcome> SetLockedAsync(int companyId, int typeId, bool locked, CancellationToken ct)
    {
        var type = await db.ProjectTypes.ForCompany(companyId).FirstOrDefaultAsync(t => t.Id == typeId, ct);
        if (type is null) return Outcome.Refused($"No project type {typeId} exists in this company.");
        type.IsLocked = locked;
        await db.SaveChangesAsync(ct);
        return new(null, locked
            ? $"{type.Name} is locked: CMS phase names that map to no phase are listed here for you to map."
            : $"{type.Name} is learning: a CMS phase name that maps to no phase becomes a new phase.");
    }

    /// <summary>Appends a phase; its name becomes one of its CMS names too, unless another phase already has that name.</summary>
    public async Task<Outcome> AddPhaseAsync(int companyId, int typeId, string? name, CancellationToken ct)
    {
        var type = await TypeAsync(companyId, typeId, ct);
        if (type is null) return Outcome.Refused($"No project type {typeId} exists in this company.");
        if (PhaseNameError(type, name, except: null) is { } error) return Outcome.Refused(error);
        var phaseName = name!.Trim();
        var key = PartnerNames.Normalize(phaseName);
        var triggerTaken = type.Phases.Any(p => p.Triggers.Any(t => t.NormalizedName == key));

        return await InTransactionAsync(async () =>
        {
            var phase = type.AppendPhase(phaseName);
            await db.SaveChangesAsync(ct);
            if (triggerTaken) return new Outcome(null, $"Phase {phaseName} added. Add the CMS phase names that should map to it.");
            var moved = await MapAsync(type, phase, phaseName, ct);
            return new Outcome(null, $"Phase {phaseName} added; the CMS name '{phaseName}' maps to it{Moved(moved)}.");
        }, ct);
    }

    /// <summary>Changes what clients read; the CMS names keep mapping to the phase.</summary>
    public async Task<Outcome> RenamePhaseAsync(int companyId, int phaseId, string? name, CancellationToken ct)
    {
        var (type, phase) = await PhaseAsync(companyId, phaseId, ct);
        if (phase is null) return Outcome.Refused($"No phase {phaseId} exists in this company.");
        if (PhaseNameError(type!, name, except: phase) is { } error) return Outcome.Refused(error);
        var old = phase.Name;
        phase.Name = name!.Trim();
        await db.SaveChangesAsync(ct);
        return new(null, $"Phase {old} is now called {phase.Name}.");
    }

    /// <summary>Moves a phase one place earlier (<paramref name="by"/> = -1) or later (+1).</summary>
    public async Task<Outcome> MovePhaseAsync(int companyId, int phaseId, int by, CancellationToken ct)
    {
        var (type, phase) = await PhaseAsync(companyId, phaseId, ct);
        if (phase is null) return Outcome.Refused($"No phase {phaseId} exists in this company.");
        var ordered = type!.Phases.OrderBy(p => p.Step).ToList();
        var from = ordered.IndexOf(phase);
        var to = from + Math.Sign(by);
        if (by == 0 || to < 0 || to >= ordered.Count)
            return Outcome.Refused($"{phase.Name} is already the {(to < 0 ? "first" : "last")} phase.");
        (ordered[from], ordered[to]) = (ordered[to], ordered[from]);
        return await InTransactionAsync(async () =>
        {
            await RenumberAsync(ordered, ct);
            return new Outcome(null, $"{phase.Name} moved {(by < 0 ? "up" : "down")}.");
        }, ct);
    }

    /// <summary>
    /// Removes a phase no project is in or has ever been in (their history refers to the phases they
    /// passed through); its CMS names and drips go with it, and the later phases move up.
    /// </summary>
    public async Task<Outcome> RemovePhaseAsync(int companyId, int phaseId, CancellationToken ct)
    {
        var (type, phase) = await PhaseAsync(companyId, phaseId, ct);
        if (phase is null) return Outcome.Refused($"No phase {phaseId} exists in this company.");
        if (await RemovalBlockerAsync(phase, ct) is { } blocker) return Outcome.Refused(blocker);
        return await InTransactionAsync(async () =>
        {
            var drips = await db.PhaseDrips.Where(d => d.PhaseId == phase.Id).ToListAsync(ct);
            db.PhaseDrips.RemoveRange(drips);
            db.PhaseTriggers.RemoveRange(phase.Triggers);
            db.Phases.Remove(phase);
            await db.SaveChangesAsync(ct);
            await RenumberAsync(type!.Phases.Where(p => p.Id != phase.Id).OrderBy(p => p.Step).ToList(), ct);
            return new Outcome(null, $"Phase {phase.Name} removed.");
        }, ct);
    }

    /// <summary>Why a phase cannot be removed, or null when it can (the page greys the button out with the same sentence).</summary>
    public async Task<string?> RemovalBlockerAsync(Phase phase, CancellationToken ct)
    {
        var inIt = await db.Projects.CountAsync(p => p.PhaseId == phase.Id, ct);
        if (inIt > 0)
            return $"{inIt} project{(inIt == 1 ? " is" : "s are")} in {phase.Name}: a phase can be removed only while no project is or was in it.";
        if (await db.PhaseChanges.AnyAsync(c => c.ToPhaseId == phase.Id || c.FromPhaseId == phase.Id, ct))
            return $"Projects have been in {phase.Name} and their history refers to it: rename it, or move its CMS names to another phase, instead.";
        return null;
    }

    /// <summary>Makes a CMS phase name map to the phase, and moves the projects waiting on that name into it.</summary>
    public async Task<Outcome> AddTriggerAsync(int companyId, int phaseId, string? name, CancellationToken ct)
    {
        var (type, phase) = await PhaseAsync(companyId, phaseId, ct);
        if (phase is null) return Outcome.Refused($"No phase {phaseId} exists in this company.");
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) return Outcome.Refused("Write the phase name exactly as the CMS sends it.");
        if (trimmed.Length > Limits.Name) return Outcome.Refused($"The name is {trimmed.Length} characters long; at most {Limits.Name} are accepted.");
        var key = PartnerNames.Normalize(trimmed);
        if (type!.Phases.FirstOrDefault(p => p.Triggers.Any(t => t.NormalizedName == key)) is { } owner)
            return Outcome.Refused(owner.Id == phase.Id
                ? $"'{trimmed}' already maps to {phase.Name}."
                : $"'{trimmed}' already maps to {owner.Name}; remove it there first (a CMS name maps to one phase).");
        return await InTransactionAsync(async () =>
        {
            var moved = await MapAsync(type, phase, trimmed, ct);
            return new Outcome(null, $"The CMS name '{trimmed}' now maps to {phase.Name}{Moved(moved)}.");
        }, ct);
    }

    /// <summary>Stops a CMS name mapping to its phase. Projects stay where they are until the CMS sends a phase again.</summary>
    public async Task<Outcome> RemoveTriggerAsync(int companyId, int triggerId, CancellationToken ct)
    {
        var trigger = await db.PhaseTriggers
            .FirstOrDefaultAsync(t => t.Id == triggerId && db.ProjectTypes.Any(x => x.Id == t.ProjectTypeId && x.CompanyId == companyId), ct);
        if (trigger is null) return Outcome.Refused($"No CMS phase name {triggerId} exists in this company.");
        db.PhaseTriggers.Remove(trigger);
        await db.SaveChangesAsync(ct);
        return new(null, $"The CMS name '{trigger.Name}' no longer maps to a phase.");
    }

    /// <summary>The one-click "map to phase" of an unmapped CMS name (seen on a locked type).</summary>
    public async Task<Outcome> MapUnmappedAsync(int companyId, int unmappedId, int phaseId, CancellationToken ct)
    {
        var unmapped = await db.UnmappedPhaseNames
            .FirstOrDefaultAsync(u => u.Id == unmappedId && db.ProjectTypes.Any(t => t.Id == u.ProjectTypeId && t.CompanyId == companyId), ct);
        if (unmapped is null) return Outcome.Refused("That CMS phase name is no longer waiting to be mapped; someone may have mapped it already.");
        var (type, phase) = await PhaseAsync(companyId, phaseId, ct);
        if (phase is null || type!.Id != unmapped.ProjectTypeId) return Outcome.Refused("Choose one of this project type's phases.");
        if (type.Phases.FirstOrDefault(p => p.Triggers.Any(t => t.NormalizedName == unmapped.NormalizedName)) is { } owner && owner.Id != phase.Id)
            return Outcome.Refused($"'{unmapped.Name}' already maps to {owner.Name}.");
        return await InTransactionAsync(async () =>
        {
            var moved = await MapAsync(type, phase, unmapped.Name, ct);
            return new Outcome(null, $"'{unmapped.Name}' now maps to {phase.Name}{Moved(moved)}.");
        }, ct);
    }

    /// <summary>Maps a CMS name to the phase and moves the projects waiting on it in, as a PUT would; returns how many moved.</summary>
    /// <remarks>
    /// A PUT /projects of one of those projects may be moving it meanwhile; it locks the project's row (SPEC §10), and so
    /// does this, before writing anything a PUT could wait on: the two take turns, and a project is moved only if it still
    /// waits on the name, from the phase it is in now — one phase change, never two from the same phase.
    /// </remarks>
    async Task<int> MapAsync(ProjectType type, Phase phase, string name, CancellationToken ct)
    {
        var key = PartnerNames.Normalize(name);
        await db.LockProjectsAsync(await WaitingOnAsync(type, phase, key, ct), ct);
        if (!phase.Triggers.Any(t => t.NormalizedName == key))
            db.PhaseTriggers.Add(new PhaseTrigger { PhaseId = phase.Id, ProjectTypeId = type.Id, Name = name, NormalizedName = key });
        await db.UnmappedPhaseNames.Where(u => u.ProjectTypeId == type.Id && u.NormalizedName == key).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);

        var waiting = await WaitingOnAsync(type, phase, key, ct); // again: a PUT may have moved one, or made one wait, meanwhile
        if (waiting.Count == 0) return 0;
        await db.LockProjectsAsync(waiting, ct);
        var now = time.GetUtcNow();
        var projects = (await db.Projects.Include(p => p.Clients).ThenInclude(c => c.Contact).AsSplitQuery()
                .Where(p => waiting.Contains(p.Id) && (p.PhaseId == null || p.PhaseId != phase.Id)).OrderBy(p => p.Id).ToListAsync(ct))
            .Where(p => PartnerNames.Normalize(p.PartnerPhaseName) == key).ToList();
        foreach (var project in projects)
        {
            var before = MilestoneMessages.Before.Of(project);
            var from = project.PhaseId;
            project.PhaseId = phase.Id;
            project.UpdatedAt = now;
            await phases.EnteredAsync(project, before, type, from, phase, project.Clients.OrderBy(c => c.Position).Select(c => c.Contact).ToList(), now, ct);
        }
        await db.SaveChangesAsync(ct);
        return projects.Count;
    }

    /// <summary>The ids of the type's projects whose CMS phase name is <paramref name="key"/> and that are not in <paramref name="phase"/>.</summary>
    async Task<List<int>> WaitingOnAsync(ProjectType type, Phase phase, string key, CancellationToken ct)
    {
        // CMS names are compared normalised (PartnerNames.Normalize), which SQL cannot do: narrow down by type, then compare here.
        var candidates = await db.Projects.AsNoTracking()
            .ForCompany(type.CompanyId).Where(p => p.ProjectTypeId == type.Id && (p.PhaseId == null || p.PhaseId != phase.Id))
            .Select(p => new { p.Id, p.PartnerPhaseName }).ToListAsync(ct);
        return candidates.Where(c => PartnerNames.Normalize(c.PartnerPhaseName) == key).Select(c => c.Id).ToList();
    }

    /// <summary>Gives the phases steps 0, 1, 2… in this order.</summary>
    // Two passes, through negative steps: the unique (type, step) index never sees two phases on one step,
    // whatever order the database applies the updates in.
    async Task RenumberAsync(List<Phase> ordered, CancellationToken ct)
    {
        for (var i = 0; i < ordered.Count; i++) ordered[i].Step = -1 - i;
        await db.SaveChangesAsync(ct);
        for (var i = 0; i < ordered.Count; i++) ordered[i].Step = i;
        await db.SaveChangesAsync(ct);
    }

    static string? PhaseNameError(ProjectType type, string? name, Phase? except)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) return "Write the name clients will read for this phase.";
        if (trimmed.Length > Limits.Name) return $"The name is {trimmed.Length} characters long; at most {Limits.Name} are accepted.";
        var key = PartnerNames.Normalize(trimmed);
        return type.Phases.FirstOrDefault(p => p != except && PartnerNames.Normalize(p.Name) == key) is { } same
            ? $"{type.Name} already has a phase called {same.Name}."
            : null;
    }

    static string Moved(int count) => count switch
    {
        0 => "",
        1 => "; 1 project waiting on that name moved into it",
        _ => $"; {count} projects waiting on that name moved into it",
    };

    Task<ProjectType?> TypeAsync(int companyId, int typeId, CancellationToken ct) => db.ProjectTypes
        .Include(t => t.Phases).ThenInclude(p => p.Triggers).AsSplitQuery()
        .ForCompany(companyId).FirstOrDefaultAsync(t => t.Id == typeId, ct);

    async Task<(ProjectType? Type, Phase? Phase)> PhaseAsync(int companyId, int phaseId, CancellationToken ct)
    {
        var typeId = await db.Phases.Where(p => p.Id == phaseId).Select(p => (int?)p.ProjectTypeId).FirstOrDefaultAsync(ct);
        var type = typeId is { } id ? await TypeAsync(companyId, id, ct) : null;
        return (type, type?.Phases.First(p => p.Id == phaseId));
    }

    /// <summary>All or nothing; a lost race on a unique index (a CMS learning a phase meanwhile) is a refusal, not a 500.</summary>
    async Task<Outcome> InTransactionAsync(Func<Task<Outcome>> change, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var outcome = await change();
            await transaction.CommitAsync(ct);
            return outcome;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return Outcome.Refused("The project type changed at the same moment (the CMS may have sent a new phase). Reload the page and try again.");
        }
    }
}
