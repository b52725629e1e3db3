using System.CommandLine;
using Casewire.Companies;
using Casewire.Data;
using Casewire.Delivery.Sms;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Cli;

/// <summary>
/// The company settings options shared by <c>company create</c> and <c>company update</c>: each is
/// optional, and one that is left out keeps the stored value (or the default, for a new company).
/// The values are checked by <see cref="CompanySettings"/> (the Settings page uses the same rules), so
/// a bad one is exit code 1 with an explanation and changes nothing.
/// </summary>
sealed class CompanySettingsOptions
{
    readonly Option<string?> _name = new("--name") { Description = "The firm's name, as clients will read it." };
    readonly Option<string?> _timeZone = new("--timezone") { Description = "IANA time zone of the office (default America/New_York)." };
    readonly Option<string?> _region = new("--region") { Description = "Region for phone numbers without a country code, ISO 3166 (default US)." };
    readonly Option<string?> _window = new("--delivery-window") { Description = "When automatic notifications go out: business-hours (default) or immediate." };
    readonly Option<string?> _windowStart = new("--window-start") { Description = "Business hours start, HH:mm in the company's time zone (default 08:00)." };
    readonly Option<string?> _windowEnd = new("--window-end") { Description = "Business hours end, HH:mm (default 20:00)." };
    readonly Option<string?> _helpText = new("--help-text") { Description = "The answer to a client who texts HELP; empty clears it." };
    readonly Option<string?> _portalUrl = new("--portal-url") { Description = "Base URL of the client portal links; empty uses Casewire:PublicBaseUrl." };
    readonly Option<string?> _senderNumber = new("--sender-number") { Description = "The company's own SMS number (E.164); empty uses Twilio:From." };
    readonly Option<string?> _language = new("--language") { Description = "Default language of client texts: en (default) or es." };
    readonly Option<string?> _surveyOnCompletion = new("--survey-on-completion") { Description = "true|false: survey clients when a case completes (types without their own setting)." };
    readonly Option<string?> _reviewUrl = new("--review-url") { Description = "Where promoters are asked to leave a review; empty clears it." };

    public void AddTo(Command command, bool includeName)
    {
        if (includeName) command.Options.Add(_name);
        foreach (var option in new[] { _timeZone, _region, _window, _windowStart, _windowEnd, _helpText, _portalUrl, _senderNumber, _language, _surveyOnCompletion, _reviewUrl })
            command.Options.Add(option);
    }

    /// <summary>Checks every given value, then sets them all: a bad one throws <see cref="CliError"/> before anything changes.</summary>
    public void Apply(ParseResult parsed, Company company)
    {
        string? Given(Option<string?> option) => parsed.GetResult(option) is null ? null : parsed.GetValue(option) ?? "";

        var errors = CompanySettings.Apply(company, new CompanySettingsChange
        {
            Name = Given(_name), TimeZone = Given(_timeZone), Region = Given(_region), DeliveryWindow = Given(_window),
            WindowStart = Given(_windowStart), WindowEnd = Given(_windowEnd), HelpText = Given(_helpText),
            PortalUrl = Given(_portalUrl), SenderNumber = Given(_senderNumber), Language = Given(_language),
            SurveyOnCompletion = Given(_surveyOnCompletion), ReviewUrl = Given(_reviewUrl),
        }, OptionName);
        if (errors.Count > 0) throw new CliError(string.Join(" ", errors.Select(e => e.Message)));
    }

    /// <summary>
    /// Saves the company (added or changed) unless its sender number is another company's or the shared one (SPEC §9):
    /// that is a <see cref="CliError"/> that says why and changes nothing.
    /// </summary>
    public async Task SaveAsync(IServiceProvider services, CasewireDb db, Company company, CancellationToken ct)
    {
        var shared = services.GetRequiredService<IOptions<TwilioOptions>>().Value.From;
        if (await SenderNumbers.CheckAsync(db, company, shared, OptionName, ct) is { } refused) throw new CliError(refused.Message);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && company.SenderNumber is { } number)
        {
            // Another company saved the number at the same moment (or the slug was taken meanwhile): the index kept the first.
            if (!await db.Companies.AsNoTracking().AnyAsync(c => c.SenderNumber == number && c.Id != company.Id, ct)) throw;
            throw new CliError(SenderNumbers.Taken(number, OptionName).Message);
        }
    }

    string OptionName(CompanySetting setting) => setting switch
    {
        CompanySetting.Name => _name.Name,
        CompanySetting.TimeZone => _timeZone.Name,
        CompanySetting.Region => _region.Name,
        CompanySetting.DeliveryWindow => _window.Name,
        CompanySetting.WindowStart => _windowStart.Name,
        CompanySetting.WindowEnd => _windowEnd.Name,
        CompanySetting.HelpText => _helpText.Name,
        CompanySetting.PortalUrl => _portalUrl.Name,
        CompanySetting.Language => _language.Name,
        CompanySetting.SurveyOnCompletion => _surveyOnCompletion.Name,
        CompanySetting.ReviewUrl => _reviewUrl.Name,
        _ => _senderNumber.Name,
    };

    public static void Print(Company company, TextWriter output)
    {
        output.WriteLine($"slug             {company.Slug}");
        output.WriteLine($"name             {company.Name}");
        output.WriteLine($"timezone         {company.TimeZone}");
        output.WriteLine($"region           {company.DefaultRegion}");
        output.WriteLine(company.DeliveryWindow == DeliveryWindow.Immediate
            ? "delivery-window  immediate"
            : $"delivery-window  business-hours, Mon-Fri {company.WindowStart:HH:mm}-{company.WindowEnd:HH:mm}");
        output.WriteLine($"sender-number    {company.SenderNumber ?? "(Twilio:From)"}");
        output.WriteLine($"portal-url       {company.PortalBaseUrl ?? "(Casewire:PublicBaseUrl)"}");
        output.WriteLine($"help-text        {company.HelpText ?? "(none)"}");
        output.WriteLine($"language         {company.Language}");
        output.WriteLine($"survey-on-completion {(company.SurveyOnCompletion ? "true" : "false")}");
        output.WriteLine($"review-url       {company.ReviewUrl ?? "(none)"}");
    }

    public static string RequireText(string? value, string option)
    {
        var (text, error) = CompanySettings.Required(value ?? "", Limits.Name, option);
        return error is null ? text : throw new CliError(error);
    }
}
