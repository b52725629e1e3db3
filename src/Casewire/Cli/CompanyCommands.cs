using System.CommandLine;
using System.Text.RegularExpressions;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Cli;

/// <summary>
/// <c>casewire company create</c> (prints the new company's slug) and <c>casewire company update</c>
/// (prints the company's settings): the settings of SPEC §8 that the Company App will also edit.
/// </summary>
static partial class CompanyCommands
{
    public static Command Create(CliContext context) => new("company", "Manage companies.") { CreateCommand(context), UpdateCommand(context) };

    static Command CreateCommand(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "The firm's name, as clients will read it.", Required = true };
        var slug = new Option<string?>("--slug") { Description = "Short handle for other commands (default: from the name)." };
        var settings = new CompanySettingsOptions();

        var create = new Command("create", "Create a company (a firm). Prints its slug.") { name, slug };
        settings.AddTo(create, includeName: false);
        create.SetAction((parsed, ct) => context.RunAsync(async (services, db) =>
        {
            var company = new Company
            {
                Name = CompanySettingsOptions.RequireText(parsed.GetValue(name), "--name"),
                Slug = ReadSlug(parsed.GetValue(slug) ?? parsed.GetValue(name)!),
                CreatedAt = context.Time.GetUtcNow(),
            };
            settings.Apply(parsed, company);
            if (await db.Companies.AnyAsync(c => c.Slug == company.Slug, ct))
                throw new CliError($"a company with slug '{company.Slug}' already exists; choose another with --slug.");
            db.Companies.Add(company);
            await settings.SaveAsync(services, db, company, ct);
            context.Out.WriteLine(company.Slug);
            return 0;
        }, ct));
        return create;
    }

    static Command UpdateCommand(CliContext context)
    {
        var slug = new Option<string>("--company") { Description = "The company's slug.", Required = true };
        var settings = new CompanySettingsOptions();

        var update = new Command("update", "Change a company's settings; options left out keep their value, an empty value clears an optional one. " +
                                           "Prints the settings.") { slug };
        settings.AddTo(update, includeName: true);
        update.SetAction((parsed, ct) => context.RunAsync(async (services, db) =>
        {
            var company = await context.FindCompanyAsync(db, parsed.GetValue(slug)!, ct);
            settings.Apply(parsed, company);
            await settings.SaveAsync(services, db, company, ct);
            CompanySettingsOptions.Print(company, context.Out);
            return 0;
        }, ct));
        return update;
    }

    static string ReadSlug(string value)
    {
        var slug = NonSlug().Replace(value.Trim().ToLowerInvariant(), "-").Trim('-');
        if (slug.Length > Limits.Slug) slug = slug[..Limits.Slug].TrimEnd('-');
        return slug.Length > 0 ? slug : throw new CliError("the slug must contain letters or digits (a-z, 0-9, '-').");
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}
