using System.Security.Claims;
using System.Security.Cryptography;
using Casewire.Data;
using Casewire.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Casewire.CompanyApp;

/// <summary>
/// Company App logins (ASP.NET Core Identity with its cookie); the first admin comes from
/// <c>casewire user create</c>. A signed-in principal carries its company and role as claims, so every
/// page scopes its queries without another lookup (<see cref="StaffClaims"/>).
/// </summary>
static class StaffIdentity
{
    public static IHostApplicationBuilder AddStaffIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(o =>
            {
                // Pages authenticate with the cookie; the Partner API names its own scheme in its policy.
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "casewire.staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
        });
        builder.Services.AddIdentityCore<StaffUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 12;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<CasewireDb>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>();
        // A user removed or whose password changed is signed out everywhere within a minute.
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.Staff, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().RequireClaim(StaffClaims.Company))
            .AddPolicy(StaffPolicies.Editor, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireClaim(StaffClaims.Company).RequireRole(nameof(StaffRole.Admin), nameof(StaffRole.User)))
            .AddPolicy(StaffPolicies.Admin, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireClaim(StaffClaims.Company).RequireRole(nameof(StaffRole.Admin)));
        return builder;
    }

    /// <summary>A one-time password that satisfies every Identity rule: letters, digits and a symbol.</summary>
    public static string NewOneTimePassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 4)
        + RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyz", 6)
        + RandomNumberGenerator.GetString("23456789", 4)
        + RandomNumberGenerator.GetString("-_.!", 2);
}

/// <summary>Who may do what in the Company App: Followers read, Users also work on cases, Admins run the firm's setup.</summary>
static class StaffPolicies
{
    /// <summary>Any signed-in member of a company (Admin, User or Follower): read everything of that company.</summary>
    public const string Staff = "Staff";
    /// <summary>Admin or User: send messages, edit clients.</summary>
    public const string Editor = "StaffEditor";
    /// <summary>Admin: tokens, webhooks, team, project types, company settings.</summary>
    public const string Admin = "StaffAdmin";
}

/// <summary>The claims a staff cookie carries.</summary>
static class StaffClaims
{
    public const string Company = "casewire:company";
    public const string MustChangePassword = "casewire:must_change_password";

    /// <summary>The signed-in user's company; every Company App query is scoped by it.</summary>
    public static int CompanyId(this ClaimsPrincipal user) =>
        int.Parse(user.FindFirstValue(Company) ?? throw new InvalidOperationException("Not a staff principal."),
            System.Globalization.CultureInfo.InvariantCulture);

    public static int UserId(this ClaimsPrincipal user) =>
        int.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not a staff principal."),
            System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsInRole(this ClaimsPrincipal user, StaffRole role) => user.IsInRole(role.ToString());
}

/// <summary>Adds the company, the role and the must-change-password flag to the cookie at sign-in.</summary>
sealed class StaffClaimsFactory(UserManager<StaffUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StaffClaims.Company, user.CompanyId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(Options.ClaimsIdentity.RoleClaimType, user.Role.ToString()));
        if (user.MustChangePassword) identity.AddClaim(new Claim(StaffClaims.MustChangePassword, "true"));
        return identity;
    }
}
