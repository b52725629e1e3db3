using System.Globalization;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Phones;
using Casewire.Validation;
using NodaTime;

namespace Casewire.Companies;

/// <summary>A company setting, as the CLI (<c>--timezone</c>) and the Company App (Settings page) name it.</summary>
enum CompanySetting
{
    Name,
    TimeZone,
    Region,
    DeliveryWindow,
    WindowStart,
    WindowEnd,
    HelpText,
    PortalUrl,
    SenderNumber,
    Language,
    SurveyOnCompletion,
    ReviewUrl,
}

/// <summary>
/// New values for a company's settings (SPEC §6, §8), as typed: null keeps the stored value, an empty
/// string clears an optional one (help text, portal address, sender number).
/// </summary>
sealed record CompanySettingsChange
{
    public string? Name { get; init; }
    /// <summary>An IANA id (America/New_York).</summary>
    public string? TimeZone { get; init; }
    /// <summary>ISO 3166 region for phone numbers given without a country code.</summary>
    public string? Region { get; init; }
    /// <summary><c>business-hours</c> or <c>immediate</c>.</summary>
    public string? DeliveryWindow { get; init; }
    /// <summary>HH:mm in the company's zone.</summary>
    public string? WindowStart { get; init; }
    public string? WindowEnd { get; init; }
    public string? HelpText { get; init; }
    public string? PortalUrl { get; init; }
    public string? SenderNumber { get; init; }
    /// <summary>The default language of client texts (SPEC §13): <c>en</c> or <c>es</c>.</summary>
    public string? Language { get; init; }
    /// <summary><c>true</c> or <c>false</c>: survey clients when a project completes, for types with no setting of their own.</summary>
    public string? SurveyOnCompletion { get; init; }
    /// <summary>Where promoters are asked to review the firm; empty clears it (no review requests).</summary>
    public string? ReviewUrl { get; init; }
}

sealed record CompanySettingError(CompanySetting Setting, string Message);

/// <summary>
/// The rules of a company's settings, in one place for <c>casewire company create|update</c> and the
/// Company App's Settings page: every given value is checked, and only when all are right is anything
/// set, so a bad value changes nothing. Messages say what is wrong and what is accepted; where they
/// name the setting they use the caller's word for it (the label: <c>--window-start</c>
/// on the command line, "Business hours start" on the page).
/// </summary>
static class CompanySettings
{
    public const string BusinessHours = "business-hours";
    public const string Immediate = "immediate";

    public static IReadOnlyList<CompanySettingError> Apply(Company company, CompanySettingsChange change, Func<CompanySetting, string> label)
    {
        var errors = new List<CompanySettingError>();
        T Check<T>(CompanySetting setting, string? given, T stored, Func<string, (T Value, string? Error)> read)
        {
            if (given is null) return stored;
            var (value, error) = read(given);
            if (error is null) return value;
            errors.Add(new CompanySettingError(setting, error));
            return stored;
        }

        var name = Check(CompanySetting.Name, change.Name, company.Name, v => Required(v, Limits.Name, label(CompanySetting.Name)));
        var zone = Check(CompanySetting.TimeZone, change.TimeZone, company.TimeZone, ReadTimeZone);
        var region = Check(CompanySetting.Region, change.Region, company.DefaultRegion, ReadRegion);
        var window = Check(CompanySetting.DeliveryWindow, change.DeliveryWindow, company.DeliveryWindow, ReadWindow);
        var start = Check(CompanySetting.WindowStart, change.WindowStart, company.WindowStart, v => ReadTime(v, label(CompanySetting.WindowStart)));
        var end = Check(CompanySetting.WindowEnd, change.WindowEnd, company.WindowEnd, v => ReadTime(v, label(CompanySetting.WindowEnd)));
        if (start >= end && !errors.Any(e => e.Setting is CompanySetting.WindowStart or CompanySetting.WindowEnd))
            errors.Add(new CompanySettingError(CompanySetting.WindowEnd,
                $"business hours must start before they end; they would be {start:HH:mm}–{end:HH:mm} (overnight windows are not supported)."));
        var helpText = Check(CompanySetting.HelpText, change.HelpText, company.HelpText, v => ReadHelpText(v, label(CompanySetting.HelpText)));
        var portalUrl = Check(CompanySetting.PortalUrl, change.PortalUrl, company.PortalBaseUrl, v => ReadPortalUrl(v, label(CompanySetting.PortalUrl)));
        // A national sender number is read in the region being saved (or the stored one, if the new region is wrong).
        var sender = Check(CompanySetting.SenderNumber, change.SenderNumber, company.SenderNumber,
            v => ReadSenderNumber(v, region, label(CompanySetting.SenderNumber)));
        var language = Check(CompanySetting.Language, change.Language, company.Language, v => ReadLanguage(v, label(CompanySetting.Language)));
        var survey = Check(CompanySetting.SurveyOnCompletion, change.SurveyOnCompletion, company.SurveyOnCompletion,
            v => bool.TryParse(v.Trim(), out var b) ? (b, null) : (false, $"{label(CompanySetting.SurveyOnCompletion)} '{v}' is not true or false."));
        var reviewUrl = Check(CompanySetting.ReviewUrl, change.ReviewUrl, company.ReviewUrl, v => ReadReviewUrl(v, label(CompanySetting.ReviewUrl)));
        if (errors.Count > 0) return errors;

        (company.Language, company.SurveyOnCompletion, company.ReviewUrl) = (language, survey, reviewUrl);
        (company.Name, company.TimeZone, company.DefaultRegion, company.DeliveryWindow) = (name, zone, region, window);
        (company.WindowStart, company.WindowEnd) = (start, end);
        (company.HelpText, company.PortalBaseUrl, company.SenderNumber) = (helpText, portalUrl, sender);
        return errors;
    }

    /// <summary>How a delivery window is written on the command line and in the Settings form.</summary>
    public static string NameOf(DeliveryWindow window) => window == Model.DeliveryWindow.Immediate ? Immediate : BusinessHours;

    public static (string Value, string? Error) Required(string value, int maxLength, string label) =>
        value.Trim() is { Length: 0 } ? ("", $"{label} must not be blank.")
        : value.Trim().Length > maxLength ? ("", $"{label} is {value.Trim().Length} characters long; at most {maxLength} are accepted.")
        : (value.Trim(), null);

    static (string? Value, string? Error) Optional(string value, int maxLength, string label) =>
        value.Trim() is { Length: 0 } ? (null, null)
        : value.Trim().Length <= maxLength ? (value.Trim(), null)
        : (null, $"{label} is {value.Trim().Length} characters long; at most {maxLength} are accepted.");

    /// <summary>The HELP answer is a template as the firm's other texts are (SPEC §13): only <c>{company.name}</c> can be filled in.</summary>
    static (string? Value, string? Error) ReadHelpText(string value, string label)
    {
        var (text, error) = Optional(value, Limits.MessageText, label);
        if (error is not null || text is null) return (text, error);
        return Template.TryParse(text, out _, out var errors, Template.HelpPlaceholders) ? (text, null) : (null, $"{label}: {string.Join(" ", errors)}");
    }

    static (string Value, string? Error) ReadTimeZone(string value) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(value.Trim())?.Id is { } id
            ? (id, null)
            : ("", $"'{value}' is not an IANA time zone; use e.g. America/New_York, America/Chicago, America/Los_Angeles.");

    static (string Value, string? Error) ReadRegion(string value) =>
        MobileNumbers.IsKnownRegion(value.Trim())
            ? (value.Trim().ToUpperInvariant(), null)
            : ("", $"'{value}' is not a phone region; use a two-letter ISO 3166 code such as US, CA or GB.");

    static (DeliveryWindow Value, string? Error) ReadWindow(string value) => value.Trim().ToLowerInvariant() switch
    {
        BusinessHours => (Model.DeliveryWindow.BusinessHours, null),
        Immediate => (Model.DeliveryWindow.Immediate, null),
        _ => (default, $"'{value}' is not a delivery window; use {BusinessHours} or {Immediate}."),
    };

    static (TimeOnly Value, string? Error) ReadTime(string value, string label) =>
        TimeOnly.TryParseExact(value.Trim(), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? (time, null)
            : (default, $"{label} '{value}' is not a time of day; use HH:mm, e.g. 08:00 or 17:30.");

    static (string? Value, string? Error) ReadPortalUrl(string value, string label)
    {
        var (url, error) = Optional(value, Limits.Url, label);
        if (error is not null || url is null) return (url, error);
        return Urls.IsAbsoluteHttp(url)
            ? (url.TrimEnd('/'), null)
            : (null, $"{label} '{value}' is not an absolute http(s) URL; use e.g. https://portal.acmelaw.com.");
    }

    static (string Value, string? Error) ReadLanguage(string value, string label) =>
        Texts.Languages.TryRead(value, out var tag) && !tag.Contains('-')
            ? (tag, null)
            : ("", $"{label} '{value}' is not a language Casewire has texts for; use one of: {string.Join(", ", Texts.Languages.Supported)}.");

    static (string? Value, string? Error) ReadReviewUrl(string value, string label)
    {
        var (url, error) = Optional(value, Limits.Url, label);
        if (error is not null || url is null) return (url, error);
        return Urls.IsAbsoluteHttp(url) ? (url, null) : (null, $"{label} '{value}' is not an absolute http(s) URL; use e.g. https://g.page/r/your-firm/review.");
    }

    static (string? Value, string? Error) ReadSenderNumber(string value, string region, string label)
    {
        if (value.Trim().Length == 0) return (null, null);
        return MobileNumbers.TryNormalize(value, region, out var e164)
            ? (e164, null)
            : (null, $"{label} '{value}' is not a phone number; use E.164, e.g. +15551230000.");
    }
}
