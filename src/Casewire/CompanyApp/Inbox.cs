using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp;

/// <summary>
/// The staff inbox (SPEC §12): one row per project conversation a client has written in, newest message first,
/// with its unread count and its <see cref="ConversationState"/> (flagged, archived, assigned). Every query is
/// scoped to one company; a project of another company is "not found".
/// </summary>
static class Inbox
{
    public const int PageSize = 50;

    /// <summary>What the inbox lists: the open conversations (not archived), or only the unread, flagged or mine of them, or the archived ones.</summary>
    public enum Show { Open, Unread, Flagged, Mine, Archived }

    public static readonly IReadOnlyList<Show> Views = Enum.GetValues<Show>();

    public static string Name(this Show show) => show.ToString().ToLowerInvariant();

    /// <summary>The view named in the query string; anything else is the open conversations.</summary>
    public static Show Read(string? name) =>
        Enum.TryParse<Show>(name, ignoreCase: true, out var show) && Enum.IsDefined(show) ? show : Show.Open;

    public sealed record Row(int ProjectId, string Project, Message Latest, int Unread, bool Flagged, bool Archived,
        int? AssignedStaffUserId, string? AssignedTo);

    /// <param name="Rows">The page, newest message first.</param>
    /// <param name="Before">The cursor of the next (older) page, or null on the last.</param>
    public sealed record Page(IReadOnlyList<Row> Rows, int? Before);

    /// <summary>A staff user a conversation can be assigned to.</summary>
    public sealed record Assignee(int Id, string Name);

    public static async Task<Page> ListAsync(CasewireDb db, int companyId, int userId, Show show, int? before, CancellationToken ct)
    {
        var conversations = db.Projects.ForCompany(companyId)
            .Where(p => db.Messages.Any(m => m.ProjectId == p.Id && m.Direction == MessageDirection.Inbound))
            .Select(p => new
            {
                p.Id, p.Name,
                LatestId = db.Messages.Where(m => m.ProjectId == p.Id).Max(m => m.Id),
                Unread = db.Messages.Count(m => m.ProjectId == p.Id && m.Direction == MessageDirection.Inbound && m.ReadAt == null),
                Flagged = db.ConversationStates.Any(s => s.ProjectId == p.Id && s.Flagged),
                Archived = db.ConversationStates.Any(s => s.ProjectId == p.Id && s.ArchivedAt != null),
                Assigned = db.ConversationStates.Where(s => s.ProjectId == p.Id).Select(s => s.AssignedStaffUserId).FirstOrDefault(),
            });
        conversations = show switch
        {
            Show.Archived => conversations.Where(c => c.Archived),
            Show.Unread => conversations.Where(c => !c.Archived && c.Unread > 0),
            Show.Flagged => conversations.Where(c => !c.Archived && c.Flagged),
            Show.Mine => conversations.Where(c => !c.Archived && c.Assigned == userId),
            _ => conversations.Where(c => !c.Archived),
        };
        var rows = await conversations.Where(c => before == null || c.LatestId < before)
            .OrderByDescending(c => c.LatestId).Take(PageSize + 1).ToListAsync(ct);
        var page = rows.Take(PageSize).ToList();

        var latestIds = page.Select(r => r.LatestId).ToList();
        var latest = await db.Messages.AsNoTracking().ForCompany(companyId).Where(m => latestIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var assignees = (await AssigneesAsync(db, companyId, ct)).ToDictionary(a => a.Id, a => a.Name);
        return new Page(
            page.Select(r => new Row(r.Id, r.Name, latest[r.LatestId], r.Unread, r.Flagged, r.Archived, r.Assigned,
                r.Assigned is { } id ? assignees.GetValueOrDefault(id) : null)).ToList(),
            rows.Count > PageSize ? page[^1].LatestId : null);
    }

    /// <summary>The company's staff users, by name: whom a conversation can be assigned to.</summary>
    public static async Task<List<Assignee>> AssigneesAsync(CasewireDb db, int companyId, CancellationToken ct) =>
        (await db.Users.AsNoTracking().ForCompany(companyId)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.UserName }).ToListAsync(ct))
        .Select(u => new Assignee(u.Id, string.IsNullOrWhiteSpace(u.DisplayName) ? u.Email ?? u.UserName ?? $"user {u.Id}" : u.DisplayName.Trim()))
        .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>
    /// Changes the state of a project's conversation and saves; false when the project is not the company's (nothing
    /// changed). The row is made on first use; two staff making it at once meet on its unique index, and the second retries.
    /// </summary>
    public static async Task<bool> ChangeAsync(CasewireDb db, int companyId, int projectId, Action<ConversationState> change, CancellationToken ct)
    {
        if (!await db.Projects.ForCompany(companyId).AnyAsync(p => p.Id == projectId, ct)) return false;
        for (var attempt = 1; ; attempt++)
        {
            var state = await db.ConversationStates.ForCompany(companyId).FirstOrDefaultAsync(s => s.ProjectId == projectId, ct)
                        ?? db.ConversationStates.Add(new ConversationState { CompanyId = companyId, ProjectId = projectId }).Entity;
            change(state);
            try
            {
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
