using Casewire.Model;
using Casewire.Time;
using NodaTime;

namespace Casewire.Milestones;

/// <summary>
/// The delivery window of SPEC §6: automatic notifications go out Monday to Friday between the
/// company's start and end (08:00–20:00 by default) in its own time zone. Inside the window a
/// notification goes at once; outside it waits for the next opening, so a change on Friday evening
/// is delivered on Monday at 08:00 local time, whatever DST did in between.
/// </summary>
static class BusinessHours
{
    /// <summary>
    /// <paramref name="at"/> itself when it falls inside the window (start inclusive, end exclusive),
    /// else the next opening. Local times are resolved as calendar events are: a start skipped by a DST
    /// change moves forward by the gap, a repeated one takes the earlier instant.
    /// </summary>
    public static Instant NextOpening(Instant at, DateTimeZone zone, LocalTime start, LocalTime end)
    {
        if (start >= end) throw new ArgumentException($"The window must open ({start}) before it closes ({end}).", nameof(start));
        var today = at.InZone(zone).Date;
        // Ends within four days: a weekend is never longer than two.
        for (var day = today; ; day = day.PlusDays(1))
        {
            if (!IsBusinessDay(day)) continue;
            var opens = EventTimes.ToInstant(day + start, zone);
            if (at < opens) return opens;
            if (at < EventTimes.ToInstant(day + end, zone)) return at;
        }
    }

    /// <summary>When an automatic notification written at <paramref name="at"/> should leave for this company.</summary>
    public static DateTimeOffset DeliverAt(Company company, DateTimeOffset at)
    {
        if (company.DeliveryWindow == DeliveryWindow.Immediate) return at;
        var zone = TimeZones.Resolve(company.TimeZone) ?? DateTimeZone.Utc;
        var (start, end) = company.WindowStart < company.WindowEnd
            ? (company.WindowStart, company.WindowEnd)
            : (Company.DefaultWindowStart, Company.DefaultWindowEnd); // a bad stored window must not fail a PUT
        return NextOpening(Instant.FromDateTimeOffset(at), zone, LocalTime.FromTimeOnly(start), LocalTime.FromTimeOnly(end)).ToDateTimeOffset();
    }

    /// <summary><paramref name="days"/> calendar days after <paramref name="at"/> in the company's zone, at the same local time.</summary>
    public static DateTimeOffset DaysAfter(Company company, DateTimeOffset at, int days)
    {
        var zone = TimeZones.Resolve(company.TimeZone) ?? DateTimeZone.Utc;
        var local = Instant.FromDateTimeOffset(at).InZone(zone).LocalDateTime.PlusDays(days);
        return EventTimes.ToInstant(local, zone).ToDateTimeOffset();
    }

    static bool IsBusinessDay(LocalDate day) => day.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday);
}
