using Casewire.Data;
using Casewire.Delivery.Webhooks;
using Casewire.Model;

namespace Casewire.Milestones;

/// <summary>
/// "A project enters a phase" (SPEC §3, §6), written once: a <c>PUT /projects</c> and a CMS name mapped on the
/// Project types page both come through here, so the history, the integrator's webhook and the clients' texts
/// cannot drift apart.
/// </summary>
sealed class PhaseEntries(CasewireDb db, MilestoneMessages milestones, WebhookEvents webhooks)
{
    /// <summary>
    /// After <paramref name="project"/> was placed in <paramref name="phase"/>: records the move from
    /// <paramref name="fromPhaseId"/> when it is one, tells the integrator (<c>project.phase_changed</c>; a new
    /// project's first phase is no change: <paramref name="before"/> is null), and tells the clients what
    /// milestones say (welcome, phase message, drips). The caller saves.
    /// </summary>
    public async Task EnteredAsync(Project project, MilestoneMessages.Before? before, ProjectType type, int? fromPhaseId, Phase? phase,
        IReadOnlyList<Contact> clients, DateTimeOffset now, CancellationToken ct)
    {
        if (phase is not null && phase.Id != fromPhaseId)
        {
            db.PhaseChanges.Add(new PhaseChange { ProjectId = project.Id, FromPhaseId = fromPhaseId, ToPhaseId = phase.Id, OccurredAt = now });
            if (before is not null) await webhooks.PhaseChangedAsync(project, type, fromPhaseId, phase, ct);
        }
        await milestones.OnProjectSavedAsync(project, before, clients, ct);
    }
}
