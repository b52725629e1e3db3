using System.Globalization;
using Casewire.Model;
using Casewire.Time;
using NodaTime;

namespace Casewire.CompanyApp.Projects;

/// <summary>How the project and project-type pages word times, statuses, kinds and authors for staff.</summary>
public static class ProjectLabels
{
    /// <summary><c>Tue, Jan 6, 2026 at 10:00 AM EST</c>: an instant in the company's zone, with the zone's abbreviation then.</summary>
    public static string At(DateTimeOffset at, DateTimeZone zone)
    {
        var instant = Instant.FromDateTimeOffset(at);
        return instant.InZone(zone).ToString("ddd, MMM d, uuuu 'at' h:mm tt", CultureInfo.InvariantCulture) + " " + TimeZones.AbbreviationAt(zone, instant);
    }

    /// <summary>For <c>&lt;time datetime&gt;</c>: the instant in ISO 8601, UTC.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeZone ZoneOf(Company company) => TimeZones.Resolve(company.TimeZone) ?? DateTimeZone.Utc;

    /// <summary>The badge colour of a delivery status name (<see cref="Partner.Messages.StatusName"/>).</summary>
    public static string StatusClass(string status) => status switch
    {
        "delivered" or "sent" => "ok",
        "queued" or "scheduled" => "warn",
        "failed" or "suppressed" or "expired" => "bad",
        _ => "",
    };

    public static string Kind(MessageKind kind) => kind switch
    {
        MessageKind.Explicit => "message",
        MessageKind.PhaseChange => "phase change",
        MessageKind.Help => "help answer",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The author kinds of <see cref="Partner.Messages.AuthorKind"/>, in words.</summary>
    public static string AuthorKind(string kind) => kind switch
    {
        "team-member" => "team member",
        "staff" => "staff",
        "client" => "client",
        "casewire" => "Casewire",
        _ => "CRM",
    };

    public static string Channel(Channel channel) => channel == Model.Channel.Sms ? "SMS" : "Email";

    public static string Preference(NotificationPreference? preference) => preference switch
    {
        NotificationPreference.Sms => "SMS",
        NotificationPreference.Email => "Email",
        NotificationPreference.Both => "SMS and email",
        _ => "Default",
    };

    public static string Status(ProjectStatus status) => Partner.ProjectStatuses.Canonical(status);

    public static string Outcome(AttemptOutcome? outcome) => outcome switch
    {
        null => "in flight",
        AttemptOutcome.TransientFailure => "failed, will retry",
        AttemptOutcome.PermanentFailure => "failed",
        _ => outcome.Value.ToString().ToLowerInvariant(),
    };

    public static string Plural(int count, string one, string many) => count == 1 ? $"1 {one}" : $"{count} {many}";
}
