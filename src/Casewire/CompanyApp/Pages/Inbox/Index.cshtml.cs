using Casewire.Data;
using Casewire.Time;
using Microsoft.AspNetCore.Mvc;

namespace Casewire.CompanyApp.Pages.Inbox;

/// <summary>
/// <c>/inbox</c> (SPEC §12): the client conversations, newest message first, with unread, flagged, mine and archived
/// views. Opening one is opening its project (which marks the replies read for everyone). Admins and Users flag,
/// archive and assign; Followers read. The rules are <see cref="CompanyApp.Inbox"/>.
/// </summary>
sealed class IndexModel(CasewireDb db, TimeProvider time) : StaffPageModel
{
    [BindProperty(SupportsGet = true, Name = "show")] public string? ShowName { get; set; }
    [BindProperty(SupportsGet = true)] public int? Before { get; set; }

    public CompanyApp.Inbox.Show Show => CompanyApp.Inbox.Read(ShowName);
    public CompanyApp.Inbox.Page Conversations { get; private set; } = new([], null);
    public IReadOnlyList<CompanyApp.Inbox.Assignee> Assignees { get; private set; } = [];
    public CompanyTime Time { get; private set; } = null!;
    public bool CanEdit => User.IsInRole(Model.StaffRole.Admin) || User.IsInRole(Model.StaffRole.User);
    public int Me => UserId;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Time = await CompanyTime.ForAsync(db, CompanyId, ct);
        Conversations = await CompanyApp.Inbox.ListAsync(db, CompanyId, UserId, Show, Before, ct);
        Assignees = await CompanyApp.Inbox.AssigneesAsync(db, CompanyId, ct);
    }

    public Task<IActionResult> OnPostFlagAsync(int projectId, bool flagged, CancellationToken ct) =>
        ChangeAsync(projectId, s => s.Flagged = flagged, flagged ? "Flagged." : "Flag removed.", ct);

    public Task<IActionResult> OnPostArchiveAsync(int projectId, bool archived, CancellationToken ct)
    {
        var now = time.GetUtcNow().TruncateToMilliseconds();
        return ChangeAsync(projectId, s => s.ArchivedAt = archived ? now : null,
            archived ? "Archived: it comes back when the client writes again." : "Moved back to the inbox.", ct);
    }

    /// <summary>Assigns the conversation to a staff user of the company (none: unassigned).</summary>
    public async Task<IActionResult> OnPostAssignAsync(int projectId, int? staffUserId, CancellationToken ct)
    {
        string? name = null;
        if (staffUserId is { } id)
        {
            name = (await CompanyApp.Inbox.AssigneesAsync(db, CompanyId, ct)).FirstOrDefault(a => a.Id == id)?.Name;
            if (name is null) return NotFound();
        }
        return await ChangeAsync(projectId, s => s.AssignedStaffUserId = staffUserId, name is null ? "Unassigned." : $"Assigned to {name}.", ct);
    }

    async Task<IActionResult> ChangeAsync(int projectId, Action<Model.ConversationState> change, string done, CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        if (!await CompanyApp.Inbox.ChangeAsync(db, CompanyId, projectId, change, ct)) return NotFound();
        Flash = done;
        return Redirect(Link(Show, Before));
    }

    public static string Link(CompanyApp.Inbox.Show show, int? before = null) =>
        "/inbox" + QueryString.Create(new Dictionary<string, string?>
        {
            ["show"] = show == CompanyApp.Inbox.Show.Open ? null : show.Name(),
            ["before"] = before?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Where(p => p.Value is not null)).ToUriComponent();
}
