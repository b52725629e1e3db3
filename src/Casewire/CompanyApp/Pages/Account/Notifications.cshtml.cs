using Casewire.Data;
using Casewire.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp.Pages.Account;

/// <summary>
/// <c>/account/notifications</c>: how the signed-in user hears about client replies on their cases (SPEC §8)
/// — an email per reply, a daily digest at 08:00 company time, or nothing. Their own setting only.
/// </summary>
sealed class NotificationsModel(CasewireDb db, UserManager<StaffUser> users, TimeProvider time) : StaffPageModel
{
    [BindProperty] public ReplyNotifications? Choice { get; set; }

    /// <summary>The CMS team member the user is linked to ("Sam Park"), whose cases they hear about; null when not linked.</summary>
    public string? TeamMember { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var user = await CurrentUserAsync(ct);
        if (user is null) return Challenge();
        Choice = user.ReplyNotifications;
        await DescribeAsync(user, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await CurrentUserAsync(ct);
        if (user is null) return Challenge();
        if (Choice is not { } choice || !Enum.IsDefined(choice))
        {
            ModelState.Remove(nameof(Choice));
            ModelState.AddModelError(nameof(Choice), "Choose how to hear about client replies: each reply, a daily digest, or not at all.");
            await DescribeAsync(user, ct);
            return Page();
        }
        // A digest covers replies from the moment it is chosen: replies already emailed one by one, or left
        // unannounced while notifications were off, are not announced again.
        if (choice == ReplyNotifications.DailyDigest && user.ReplyNotifications != ReplyNotifications.DailyDigest)
            user.RepliesNotifiedUntil = time.GetUtcNow();
        user.ReplyNotifications = choice;
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded)
        {
            foreach (var error in saved.Errors) ModelState.AddModelError(string.Empty, error.Description);
            await DescribeAsync(user, ct);
            return Page();
        }
        Flash = choice switch
        {
            ReplyNotifications.Immediately => "You will get an email for each client reply on your cases.",
            ReplyNotifications.DailyDigest => "You will get one email at 08:00 with the day's client replies on your cases.",
            _ => "You will get no email about client replies.",
        };
        return RedirectToPage();
    }

    Task<StaffUser?> CurrentUserAsync(CancellationToken ct) =>
        db.Users.ForCompany(CompanyId).FirstOrDefaultAsync(u => u.Id == UserId, ct);

    async Task DescribeAsync(StaffUser user, CancellationToken ct) =>
        TeamMember = user.TeamMemberId is { } id
            ? await db.TeamMembers.ForCompany(CompanyId).Where(m => m.Id == id).Select(m => m.FirstName + " " + m.LastName).FirstOrDefaultAsync(ct)
            : null;
}
