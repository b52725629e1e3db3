using System.Security.Cryptography;
using Casewire.Data;
using Casewire.Model;
using Microsoft.AspNetCore.Identity;

namespace Casewire.CompanyApp;

/// <summary>Company App logins (ASP.NET Core Identity); the first admin comes from <c>casewire user create</c>.</summary>
public static class StaffIdentity
{
    public static IHostApplicationBuilder AddStaffIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIdentityCore<StaffUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 12;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<CasewireDb>();
        return builder;
    }

    /// <summary>A one-time password that satisfies every Identity rule: letters, digits and a symbol.</summary>
    public static string NewOneTimePassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 4)
        + RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyz", 6)
        + RandomNumberGenerator.GetString("23456789", 4)
        + RandomNumberGenerator.GetString("-_.!", 2);
}
