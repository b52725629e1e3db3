using Microsoft.AspNetCore.Identity;

namespace Casewire.Model;

/// <summary>A Company App login (ASP.NET Core Identity). Belongs to one company.</summary>
public sealed class StaffUser : IdentityUser<int>
{
    public int CompanyId { get; set; }
    public StaffRole Role { get; set; } = StaffRole.User;
    /// <summary>Set for a password printed by the CLI: the first sign-in must replace it.</summary>
    public bool MustChangePassword { get; set; }
    /// <summary>Optional link to the CMS team member this person is.</summary>
    public int? TeamMemberId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum StaffRole
{
    Admin,
    User,
    Follower,
}
