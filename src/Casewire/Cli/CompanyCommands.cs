using System.CommandLine;
using System.Text.RegularExpressions;
using Casewire.Data;
using Casewire.Model;
using Casewire.Phones;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.Cli;

/// <summary><c>casewire company create</c>: prints the new company's slug.</summary>
public static partial class CompanyCommands
{
    public static Command Create(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "The firm's name, as clients will read it.", Required = true };
        var slug = new Option<string?>("--slug") { Description = "Short handle for other commands (default: from the name)." };
        var timeZone = new Option<string>("--timezone") { Description = "IANA time zone of the office.", DefaultValueFactory = _ => "America/New_York" };
        var region = new Option<string>("--region") { Description = "Region for phone numbers without a country code (ISO 3166).", DefaultValueFactory = _ => "US" };
        var window = new Option<string>("--delivery-window") { Description = "business-hours or immediate.", DefaultValueFactory = _ => "business-hours" };

        var create = new Command("create", "Create a company (a firm). Prints its slug.") { name, slug, timeZone, region, window };
        create.SetAction((parsed, ct) => context.RunAsync(async (_, db) =>
        {
            var company = new Company
            {
                Name = RequireText(parsed.GetValue(name), "--name"),
                Slug = ReadSlug(parsed.GetValue(slug) ?? parsed.GetValue(name)!),
                TimeZone = ReadTimeZone(parsed.GetValue(timeZone)!),
                DefaultRegion = ReadRegion(parsed.GetValue(region)!),
                DeliveryWindow = ReadWindow(parsed.GetValue(window)!),
                CreatedAt = context.Time.GetUtcNow(),
            };
            if (await db.Companies.AnyAsync(c => c.Slug == company.Slug, ct))
                throw new CliError($"a company with slug '{company.Slug}' already exists; choose another with --slug.");
            db.Companies.Add(company);
            await db.SaveChangesAsync(ct);
            context.Out.WriteLine(company.Slug);
            return 0;
        }, ct));

        return new Command("company", "Manage companies.") { create };
    }

    static string RequireText(string? value, string option) =>
        string.IsNullOrWhiteSpace(value) ? throw new CliError($"{option} must not be blank.") : value.Trim();

    static string ReadSlug(string value)
    {
        var slug = NonSlug().Replace(value.Trim().ToLowerInvariant(), "-").Trim('-');
        if (slug.Length > Limits.Slug) slug = slug[..Limits.Slug].TrimEnd('-');
        return slug.Length > 0 ? slug : throw new CliError("the slug must contain letters or digits (a-z, 0-9, '-').");
    }

    static string ReadTimeZone(string value) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(value.Trim())?.Id
        ?? throw new CliError($"'{value}' is not an IANA time zone; use e.g. America/New_York, America/Chicago, America/Los_Angeles.");

    static string ReadRegion(string value) =>
        MobileNumbers.IsKnownRegion(value.Trim())
            ? value.Trim().ToUpperInvariant()
            : throw new CliError($"'{value}' is not a phone region; use a two-letter ISO 3166 code such as US, CA or GB.");

    static DeliveryWindow ReadWindow(string value) => value.Trim().ToLowerInvariant() switch
    {
        "business-hours" => DeliveryWindow.BusinessHours,
        "immediate" => DeliveryWindow.Immediate,
        _ => throw new CliError($"'{value}' is not a delivery window; use business-hours or immediate."),
    };

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}
