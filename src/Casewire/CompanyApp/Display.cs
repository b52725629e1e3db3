using System.Globalization;
using Casewire.Data;
using Casewire.Model;
using Casewire.Time;
using Microsoft.AspNetCore.Html;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.CompanyApp;

/// <summary>
/// Times as the firm reads them: every instant a staff page shows is in the company's time zone, with the
/// zone's abbreviation on that date (EST or EDT), e.g. <c>Jan 6, 2026, 10:00 AM EST</c>. Load it once per
/// request with <see cref="ForAsync"/>.
/// </summary>
sealed class CompanyTime(DateTimeZone zone)
{
    public DateTimeZone Zone { get; } = zone;

    /// <summary>The company's zone; a stored id NodaTime does not know falls back to UTC rather than fail a page.</summary>
    public static CompanyTime Of(string timeZoneId) => new(TimeZones.Resolve(timeZoneId) ?? DateTimeZone.Utc);

    public static async Task<CompanyTime> ForAsync(CasewireDb db, int companyId, CancellationToken ct) =>
        Of(await db.Companies.Where(c => c.Id == companyId).Select(c => c.TimeZone).SingleAsync(ct));

    /// <summary><c>Jan 6, 2026, 10:00 AM EST</c>.</summary>
    public string Text(DateTimeOffset instant) => Format(instant, "MMM d, yyyy, h:mm tt");

    /// <summary><c>Jan 6, 10:00 AM EST</c>: for lists of recent things.</summary>
    public string Short(DateTimeOffset instant) => Format(instant, "MMM d, h:mm tt");

    /// <summary>
    /// A <c>&lt;time&gt;</c> element: the company's local time as text, the exact instant (ISO 8601, UTC) for
    /// machines and tests; a dash for no time.
    /// </summary>
    public IHtmlContent Html(DateTimeOffset? instant, bool brief = false)
    {
        if (instant is not { } at) return new HtmlString("<span class=\"hint\">—</span>");
        var builder = new HtmlContentBuilder();
        builder.AppendHtml($"<time datetime=\"{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\">");
        builder.Append(brief ? Short(at) : Text(at));
        builder.AppendHtml("</time>");
        return builder;
    }

    /// <summary>The company's calendar date at an instant.</summary>
    public LocalDate DateOf(DateTimeOffset instant) => Instant.FromDateTimeOffset(instant).InZone(Zone).Date;

    /// <summary>The instant a company day begins (midnight, or the first instant after a DST gap).</summary>
    public DateTimeOffset StartOf(LocalDate day) => Zone.AtStartOfDay(day).ToDateTimeOffset().ToUniversalTime();

    string Format(DateTimeOffset instant, string pattern)
    {
        var at = Instant.FromDateTimeOffset(instant);
        return at.InZone(Zone).ToString(pattern, CultureInfo.InvariantCulture) + " " + TimeZones.AbbreviationAt(Zone, at);
    }
}

/// <summary>Words and badge colours shared by the staff pages.</summary>
static class Display
{
    /// <summary>
    /// A delivery's status as staff read it: the API's names (<c>queued</c>, <c>sent</c>, …), except that a pending
    /// delivery due later is <c>scheduled</c>, as on the dashboard.
    /// </summary>
    public static string Status(DeliveryStatus status, DateTimeOffset dueAt, DateTimeOffset now) =>
        status == DeliveryStatus.Pending && dueAt > now ? "scheduled" : status.PublicName();

    /// <summary>The badge class of a status: green when it arrived or left, red when it did not, amber while waiting.</summary>
    public static string Badge(string status) => status switch
    {
        "delivered" or "sent" or "received" => "badge ok",
        "failed" or "suppressed" or "expired" => "badge bad",
        "queued" or "scheduled" => "badge warn",
        _ => "badge",
    };

    public static string Kind(MessageKind kind) => kind switch
    {
        MessageKind.Explicit => "message",
        MessageKind.PhaseChange => "phase change",
        MessageKind.Help => "HELP answer",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string Channel(Channel channel) => channel switch
    {
        Model.Channel.Sms => "SMS",
        Model.Channel.Email => "email",
        _ => "webhook",
    };

    public static string Role(StaffRole role) => role.ToString();
}
