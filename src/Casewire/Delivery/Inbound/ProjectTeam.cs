using Casewire.Data;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery.Inbound;

/// <summary>
/// Who works a case. The CMS never sends a project's team as such; it names them where they act: the
/// team members of the case's calendar events that it marks as assigned to the project (SPEC §5,
/// <c>teamMembers</c>, as opposed to <c>otherMembers</c>) and the authors of the case's messages
/// (<c>authorId</c>, or a Company App user linked to a team member). One definition, read both ways.
/// </summary>
static class ProjectTeam
{
    /// <summary>The team members of a project.</summary>
    public static Task<List<int>> MemberIdsAsync(CasewireDb db, int companyId, int projectId, CancellationToken ct) =>
        // From the project's events to their members (each by its key), not from every member to its event.
        db.CalendarEvents.ForCompany(companyId).Where(e => e.ProjectId == projectId)
            .SelectMany(e => e.Members.Where(m => m.AssignedToProject).Select(m => m.TeamMemberId))
            .Concat(db.Messages.ForCompany(companyId).Where(m => m.ProjectId == projectId && m.AuthorTeamMemberId != null)
                .Select(m => m.AuthorTeamMemberId!.Value))
            .Distinct().ToListAsync(ct);

    /// <summary>The projects a team member works on.</summary>
    public static Task<List<int>> ProjectIdsAsync(CasewireDb db, int companyId, int teamMemberId, CancellationToken ct) =>
        db.CalendarEvents.ForCompany(companyId).Where(e => e.Members.Any(m => m.TeamMemberId == teamMemberId && m.AssignedToProject))
            .Select(e => e.ProjectId)
            .Concat(db.Messages.ForCompany(companyId).Where(m => m.AuthorTeamMemberId == teamMemberId && m.ProjectId != null)
                .Select(m => m.ProjectId!.Value))
            .Distinct().ToListAsync(ct);
}
