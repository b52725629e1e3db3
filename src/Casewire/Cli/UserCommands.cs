using System.CommandLine;
using Casewire.CompanyApp;
using Casewire.Model;
using Casewire.Validation;
using Microsoft.AspNetCore.Identity;

namespace Casewire.Cli;

/// <summary><c>casewire user create</c>: a Company App login (the same rules as the Team page); prints a one-time password.</summary>
static class UserCommands
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
            if (!EnumNames.TryParse<StaffRole>(parsed.GetValue(role), out var staffRole))
                throw new CliError($"'{parsed.GetValue(role)}' is not a role; use admin, user or follower.");
            var (created, problems) = await StaffAccounts.CreateAsync(services.GetRequiredService<UserManager<StaffUser>>(), owner.Id,
                parsed.GetValue(email), staffRole, displayName: null, context.Time.GetUtcNow());
            if (created is null) throw new CliError(string.Join(" ", problems.Select(p => p.Message)));
            context.Out.WriteLine(created.OneTimePassword);
            return 0;
        }, ct));

        return new Command("user", "Manage Company App users.") { create };
    }
}
