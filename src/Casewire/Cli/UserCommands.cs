using System.CommandLine;
using Casewire.CompanyApp;
using Casewire.Model;
using Microsoft.AspNetCore.Identity;

namespace Casewire.Cli;

/// <summary><c>casewire user create</c>: a Company App login; prints a one-time password.</summary>
public static class UserCommands
{
    public static Command Create(CliContext context)
    {
        var company = new Option<string>("--company") { Description = "The company's slug.", Required = true };
        var email = new Option<string>("--email") { Description = "The sign-in email.", Required = true };
        var role = new Option<string>("--role") { Description = "admin, user or follower.", DefaultValueFactory = _ => "user" };

        var create = new Command("create", "Create a Company App user. Prints a one-time password to change at first sign-in.") { company, email, role };
        create.SetAction((parsed, ct) => context.RunAsync(async (services, db) =>
        {
            var owner = await context.FindCompanyAsync(db, parsed.GetValue(company)!, ct);
            if (!Partner.Json.EnumNames.TryParse<StaffRole>(parsed.GetValue(role), out var staffRole))
                throw new CliError($"'{parsed.GetValue(role)}' is not a role; use admin, user or follower.");
            var address = parsed.GetValue(email)!.Trim();
            if (!Partner.Json.EmailAddresses.IsValid(address)) throw new CliError($"'{address}' is not a valid email address.");

            var users = services.GetRequiredService<UserManager<StaffUser>>();
            var password = StaffIdentity.NewOneTimePassword();
            var result = await users.CreateAsync(new StaffUser
            {
                CompanyId = owner.Id, UserName = address, Email = address, Role = staffRole, MustChangePassword = true,
                CreatedAt = context.Time.GetUtcNow(), LockoutEnabled = true,
            }, password);
            if (!result.Succeeded) throw new CliError(string.Join(" ", result.Errors.Select(e => e.Description)));
            context.Out.WriteLine(password);
            return 0;
        }, ct));

        return new Command("user", "Manage Company App users.") { create };
    }
}
