using Casewire.Data;
using Casewire.Model;
using Casewire.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp.Pages.Team;

/// <summary>
/// Team (SPEC §8): the company's Company App users and the CMS's team members. Everyone reads;
/// an admin creates a user (a one-time password shown once, as <c>casewire user create</c> prints it), changes a
/// role, links a user to the team member they are, unlocks or removes a user (<see cref="StaffAccounts"/>).
/// </summary>
sealed class IndexModel(CasewireDb db, UserManager<StaffUser> users, TimeProvider time) : StaffPageModel
{
    public sealed record UserRow(int Id, string Email, string? DisplayName, StaffRole Role, int? TeamMemberId, string? TeamMember,
        DateTimeOffset? LockedUntil, bool MustChangePassword, bool IsSelf);

    public sealed record MemberRow(int Id, string ExternalId, string Name, string Email, string? Title, IReadOnlyList<string> Users);

    public sealed class NewUserForm
    {
        public string? Email { get; set; }
        public string? DisplayName { get; set; }
        public string? Role { get; set; } = nameof(StaffRole.User);
    }

    [BindProperty] public NewUserForm NewUser { get; set; } = new();

    public bool CanEdit => User.IsInRole(StaffRole.Admin);
    public IReadOnlyList<UserRow> Users { get; private set; } = [];
    public IReadOnlyList<MemberRow> Members { get; private set; } = [];
    public CompanyTime Time { get; private set; } = null!;
    /// <summary>Set only in the response to the POST that created the user: the one time the password is shown.</summary>
    public (string Email, string Password)? Created { get; private set; }
    /// <summary>Why a row action was refused (shown as an alert).</summary>
    public string? Refusal { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        if (!EnumNames.TryParse<StaffRole>(NewUser.Role, out var role))
            ModelState.AddModelError("NewUser.Role", "Choose a role: Admin, User or Follower.");
        else
        {
            var (created, problems) = await StaffAccounts.CreateAsync(users, CompanyId, NewUser.Email, role, NewUser.DisplayName, time.GetUtcNow());
            foreach (var problem in problems)
                ModelState.AddModelError(problem.Field == "email" ? "NewUser.Email" : "NewUser.DisplayName", problem.Message);
            if (created is not null)
            {
                Created = (created.User.Email!, created.OneTimePassword);
                NewUser = new NewUserForm();
                ModelState.Clear();
                // Shown in this response only: never in a redirect's cookie, never cached.
                Response.Headers.CacheControl = "no-store";
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRoleAsync(int id, string? role, CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        if (!EnumNames.TryParse<StaffRole>(role, out var newRole)) return await RefuseAsync("Choose a role: Admin, User or Follower.", ct);
        return await OutcomeAsync(await StaffAccounts.ChangeRoleAsync(db, CompanyId, id, newRole, ct), $"Role changed to {newRole}.", ct);
    }

    public async Task<IActionResult> OnPostLinkAsync(int id, int? teamMemberId, CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        return await OutcomeAsync(await StaffAccounts.LinkTeamMemberAsync(db, CompanyId, id, teamMemberId, ct),
            teamMemberId is null ? "Link to the team member removed." : "Linked to the team member.", ct);
    }

    public async Task<IActionResult> OnPostUnlockAsync(int id, CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        var user = await db.Users.ForCompany(CompanyId).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return NotFound();
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        Flash = $"{user.Email} can sign in again.";
        return Redirect("/team");
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        return await OutcomeAsync(await StaffAccounts.RemoveAsync(db, users, CompanyId, id, UserId, ct), "User removed: they are signed out within a minute.", ct);
    }

    async Task<IActionResult> OutcomeAsync(StaffAccounts.Outcome outcome, string done, CancellationToken ct)
    {
        switch (outcome)
        {
            case StaffAccounts.Outcome.Done:
                Flash = done;
                return Redirect("/team");
            case StaffAccounts.Outcome.LastAdmin:
                return await RefuseAsync("The company needs at least one admin: make someone else an admin first.", ct);
            case StaffAccounts.Outcome.Self:
                return await RefuseAsync("You cannot remove yourself; another admin can.", ct);
            default:
                return NotFound(); // another company's user or team member: as if it did not exist
        }
    }

    async Task<IActionResult> RefuseAsync(string why, CancellationToken ct)
    {
        Refusal = why;
        ModelState.Clear();
        await LoadAsync(ct);
        return Page();
    }

    async Task LoadAsync(CancellationToken ct)
    {
        Time = await CompanyTime.ForAsync(db, CompanyId, ct);
        var now = time.GetUtcNow();
        var members = await db.TeamMembers.AsNoTracking().ForCompany(CompanyId)
            .OrderBy(m => m.LastName).ThenBy(m => m.FirstName).ToListAsync(ct);
        var names = members.ToDictionary(m => m.Id, m => $"{m.FirstName} {m.LastName}");
        var staff = await db.Users.AsNoTracking().ForCompany(CompanyId).OrderBy(u => u.Email).ToListAsync(ct);
        Users = staff.Select(u => new UserRow(u.Id, u.Email ?? u.UserName ?? "", u.DisplayName, u.Role, u.TeamMemberId,
                u.TeamMemberId is { } m ? names.GetValueOrDefault(m) : null, u.LockoutEnd > now ? u.LockoutEnd : null, u.MustChangePassword,
                u.Id == UserId))
            .ToList();
        Members = members.Select(m => new MemberRow(m.Id, m.ExternalId, names[m.Id], m.Email, m.Title,
            staff.Where(u => u.TeamMemberId == m.Id).Select(u => u.DisplayName ?? u.Email ?? "").ToList())).ToList();
    }
}
