using Microsoft.AspNetCore.Identity;

namespace Casewire.Model;

/// <summary>A Company App login (ASP.NET Core Identity). Belongs to one company.</summary>
sealed class StaffUser : IdentityUser<int>, ICompanyOwned
{
    public int CompanyId { get; set; }
    public StaffRole Role { get; set; } = StaffRole.User;
    /// <summary>Set for a password printed by the CLI: the first sign-in must replace it.</summary>
    public bool MustChangePassword { get; set; }
    /// <summary>Optional link to the CMS team member this person is.</summary>
    public int? TeamMemberId { get; set; }
    /// <summary>The name shown as the author of messages this person sends ("Dana Reyes"); the email when absent.</summary>
    public string? DisplayName { get; set; }
    /// <summary>How this person hears about client replies on projects of the team member they are linked to.</summary>
    public ReplyNotifications ReplyNotifications { get; set; } = ReplyNotifications.Immediately;
    /// <summary>
    /// The daily digest's mark: replies up to this instant were covered (set to now when the digest is chosen,
    /// moved to each 08:00 a digest covers; see ReplyDigests).
    /// </summary>
    public DateTimeOffset? RepliesNotifiedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A staff member's choice for client-reply emails (SPEC §8).</summary>
enum ReplyNotifications
{
    /// <summary>An email per reply, as it arrives.</summary>
    Immediately,
    /// <summary>One email a day at 08:00 company time with the replies since the last one.</summary>
    DailyDigest,
    Off,
}

enum StaffRole
{
    Admin,
    User,
    Follower,
}
