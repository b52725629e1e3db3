using System.CommandLine;
using System.Globalization;
using Casewire.Model;
using Casewire.Phones;
using Casewire.Portal;
using NodaTime;

namespace Casewire.Cli;

/// <summary>
/// The company settings options shared by <c>company create</c> and <c>company update</c>: each is
/// optional, and one that is left out keeps the stored value (or the default, for a new company).
/// Every value is checked here, so a bad one is exit code 1 with an explanation and changes nothing.
/// </summary>
sealed class CompanySettings
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

    public void AddTo(Command command, bool includeName)
    {
        if (includeName) command.Options.Add(_name);
        foreach (var option in new[] { _timeZone, _region, _window, _windowStart, _windowEnd, _helpText, _portalUrl, _senderNumber })
            command.Options.Add(option);
    }

    /// <summary>Checks every given value, then sets them all: a bad one throws <see cref="CliError"/> before anything changes.</summary>
    public void Apply(ParseResult parsed, Company company)
    {
        string? Given(Option<string?> option) => parsed.GetResult(option) is null ? null : parsed.GetValue(option) ?? "";

        var name = Given(_name) is { } n ? RequireText(n, "--name") : company.Name;
        var zone = Given(_timeZone) is { } z ? ReadTimeZone(z) : company.TimeZone;
        var region = Given(_region) is { } r ? ReadRegion(r) : company.DefaultRegion;
        var window = Given(_window) is { } w ? ReadWindow(w) : company.DeliveryWindow;
        var start = Given(_windowStart) is { } s ? ReadTime(s, "--window-start") : company.WindowStart;
        var end = Given(_windowEnd) is { } e ? ReadTime(e, "--window-end") : company.WindowEnd;
        if (start >= end)
            throw new CliError($"business hours must start before they end; they would be {start:HH:mm}–{end:HH:mm} (overnight windows are not supported).");
        var helpText = Given(_helpText) is { } h ? Optional(h, Limits.MessageText, "--help-text") : company.HelpText;
        var portalUrl = Given(_portalUrl) is { } p ? ReadPortalUrl(p) : company.PortalBaseUrl;
        var sender = Given(_senderNumber) is { } number ? ReadSenderNumber(number, region) : company.SenderNumber;

        (company.Name, company.TimeZone, company.DefaultRegion, company.DeliveryWindow) = (name, zone, region, window);
        (company.WindowStart, company.WindowEnd) = (start, end);
        (company.HelpText, company.PortalBaseUrl, company.SenderNumber) = (helpText, portalUrl, sender);
    }

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
    }

    public static string RequireText(string? value, string option) =>
        string.IsNullOrWhiteSpace(value) ? throw new CliError($"{option} must not be blank.") : value.Trim();

    static string? Optional(string value, int maxLength, string option) =>
        value.Trim() is { Length: 0 } ? null
        : value.Trim().Length <= maxLength ? value.Trim()
        : throw new CliError($"{option} is {value.Trim().Length} characters long; at most {maxLength} are accepted.");

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

    static TimeOnly ReadTime(string value, string option) =>
        TimeOnly.TryParseExact(value.Trim(), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new CliError($"{option} '{value}' is not a time of day; use HH:mm, e.g. 08:00 or 17:30.");

    static string? ReadPortalUrl(string value)
    {
        var url = Optional(value, Limits.Url, "--portal-url");
        if (url is null || PortalPage.IsAbsoluteHttp(url)) return url?.TrimEnd('/');
        throw new CliError($"--portal-url '{value}' is not an absolute http(s) URL; use e.g. https://portal.acmelaw.com.");
    }

    static string? ReadSenderNumber(string value, string region)
    {
        if (value.Trim().Length == 0) return null;
        return MobileNumbers.TryNormalize(value, region, out var e164)
            ? e164
            : throw new CliError($"--sender-number '{value}' is not a phone number; use E.164, e.g. +15551230000.");
    }
}
