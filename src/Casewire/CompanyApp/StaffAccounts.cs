using Casewire.Data;
using Casewire.Model;
using Casewire.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp;

/// <summary>
/// A company's Company App logins: created by <c>casewire user create</c> and by an admin on the Team page
/// with the same rules (a one-time password printed or shown once, to be replaced at first sign-in);
/// role changes, team-member links and removals, none of which may leave the company without an admin.
/// </summary>
static class StaffAccounts
{
    /// <summary>A field of the new-user form and the message for it.</summary>
    public sealed record Problem(string Field, string Message);

    public sealed record Created(StaffUser User, string OneTimePassword);

    /// <summary>Creates a login that must choose its own password at first sign-in; the password returned is the only copy.</summary>
    public static async Task<(Created? Created, IReadOnlyList<Problem> Problems)> CreateAsync(
        UserManager<StaffUser> users, int companyId, string? email, StaffRole role, string? displayName, DateTimeOffset now)
    {
        var problems = new List<Problem>();
        var address = email?.Trim() ?? "";
        if (!EmailAddresses.IsValid(address))
            problems.Add(new Problem(nameof(email), $"'{address}' is not a valid email address; use the form name@example.com."));
        var name = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim();
        if (name?.Length > Limits.Name)
            problems.Add(new Problem(nameof(displayName), $"The name is {name.Length} characters long; at most {Limits.Name} are accepted."));
        if (problems.Count > 0) return (null, problems);

        var password = StaffIdentity.NewOneTimePassword();
        var user = new StaffUser
        {
            CompanyId = companyId, UserName = address, Email = address, DisplayName = name, Role = role, MustChangePassword = true,
            CreatedAt = now, LockoutEnabled = true,
        };
        var result = await users.CreateAsync(user, password);
        if (result.Succeeded) return (new Created(user, password), problems);
        // Logins are one namespace across companies: an email signs in to exactly one firm. The answer is the same
        // whether this firm or another holds it, so it says nothing about another firm (SPEC §11).
        var duplicate = result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName");
        problems.Add(new Problem(nameof(email), duplicate
            ? $"'{address}' cannot be used for a new login; each email signs in to one firm, so ask for another address."
            : string.Join(" ", result.Errors.Select(e => e.Description))));
        return (null, problems);
    }

    public enum Outcome { Done, NotFound, LastAdmin, Self, UnknownTeamMember }

    /// <summary>
    /// Changes a user's role; the company's last admin stays an admin. The user's cookie picks the new role up at its
    /// periodic check against the database (within a minute, StaffIdentity), without signing them out.
    /// </summary>
    public static Task<Outcome> ChangeRoleAsync(CasewireDb db, int companyId, int userId, StaffRole role, CancellationToken ct) =>
        WithAdminsLockedAsync(db, companyId, ct, async () =>
        {
            var user = await db.Users.ForCompany(companyId).FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null) return Outcome.NotFound;
            if (user.Role == role) return Outcome.Done;
            if (user.Role == StaffRole.Admin && !await AnotherAdminAsync(db, companyId, userId, ct)) return Outcome.LastAdmin;
            user.Role = role;
            return Outcome.Done;
        });

    /// <summary>Removes a login. Nobody removes themselves, and the last admin stays.</summary>
    public static Task<Outcome> RemoveAsync(CasewireDb db, UserManager<StaffUser> users, int companyId, int userId, int signedInUserId,
        CancellationToken ct) =>
        WithAdminsLockedAsync(db, companyId, ct, async () =>
        {
            if (userId == signedInUserId) return Outcome.Self;
            var user = await db.Users.ForCompany(companyId).FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null) return Outcome.NotFound;
            if (user.Role == StaffRole.Admin && !await AnotherAdminAsync(db, companyId, userId, ct)) return Outcome.LastAdmin;
            var result = await users.DeleteAsync(user);
            return result.Succeeded ? Outcome.Done : throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        });

    /// <summary>Links a user to the CMS team member they are (null unlinks): replies on that member's projects reach them.</summary>
    public static async Task<Outcome> LinkTeamMemberAsync(CasewireDb db, int companyId, int userId, int? teamMemberId, CancellationToken ct)
    {
        var user = await db.Users.ForCompany(companyId).FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return Outcome.NotFound;
        if (teamMemberId is { } id && !await db.TeamMembers.ForCompany(companyId).AnyAsync(m => m.Id == id, ct))
            return Outcome.UnknownTeamMember;
        user.TeamMemberId = teamMemberId;
        await db.SaveChangesAsync(ct);
        return Outcome.Done;
    }

    static Task<bool> AnotherAdminAsync(CasewireDb db, int companyId, int userId, CancellationToken ct) =>
        db.Users.ForCompany(companyId).AnyAsync(u => u.Role == StaffRole.Admin && u.Id != userId, ct);

    /// <summary>Runs the change in a transaction that first writes the company's row.</summary>
    // Two admins demoting or removing each other at once take turns, so the second sees the first's change and
    // the company keeps an admin.
    static async Task<Outcome> WithAdminsLockedAsync(CasewireDb db, int companyId, CancellationToken ct, Func<Task<Outcome>> change)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Companies.Where(c => c.Id == companyId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.PortalLinkVersion, c => c.PortalLinkVersion), ct);
        var outcome = await change();
        if (outcome != Outcome.Done) return outcome;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return outcome;
    }
}
