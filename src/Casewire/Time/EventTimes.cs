using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace Casewire.Time;

/// <summary>
/// Calendar event times (SPEC §5): <c>YYYY-MM-DD HH:mm[:ss]</c> (space or <c>T</c>) is a wall-clock
/// time in the event's zone; an ISO 8601 value with <c>Z</c> or an offset is an instant and its
/// offset wins. A wall time skipped by a DST change moves forward by the gap; a repeated one takes
/// the earlier instant. Texts give times as <c>Mon, Jan 1 at 8:00 AM EST</c>.
/// </summary>
static class EventTimes
{
    static readonly LocalDateTimePattern[] WallClock =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss.FFFFFFF"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"),
    ];

    static readonly OffsetDateTimePattern[] WithOffset =
    [
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss.FFFFFFFo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mmo<G>"),
    ];

    /// <summary>DST rules of SPEC §5: skipped → shifted forward by the gap; ambiguous → the earlier instant.</summary>
    static readonly ZoneLocalMappingResolver Resolver = Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnForwardShifted);

    public abstract record Parsed;
    /// <summary>A wall-clock time: needs a zone.</summary>
    public sealed record Local(LocalDateTime Value) : Parsed;
    /// <summary>An instant with the offset it was written with.</summary>
    public sealed record Absolute(OffsetDateTime Value) : Parsed;

    public static Parsed? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var value = text.Trim();
        foreach (var pattern in WithOffset)
            if (pattern.Parse(value) is { Success: true } parsed) return new Absolute(parsed.Value);
        foreach (var pattern in WallClock)
            if (pattern.Parse(value) is { Success: true } parsed) return new Local(parsed.Value);
        return null;
    }

    const int MinYear = 1900, MaxYear = 2999;
    public const string SupportedRange = "events are accepted from the year 1900 to the year 2999";

    /// <summary>
    /// Within years 1900–2999 (as written): a calendar event is never further away, and what is nearer
    /// the ends of time (year 1, year 9999) cannot take an offset, a default end or a reminder without
    /// leaving the range of instants.
    /// </summary>
    public static bool IsSupported(Parsed parsed) => parsed switch
    {
        Local l => l.Value.Year is >= MinYear and <= MaxYear,
        Absolute a => a.Value.Year is >= MinYear and <= MaxYear,
        _ => false,
    };

    public static Instant ToInstant(LocalDateTime local, DateTimeZone zone) => zone.ResolveLocal(local, Resolver).ToInstant();

    /// <summary><c>Mon, Jan 1 at 8:00 AM EST</c>: the event's local time and its zone's abbreviation on that date.</summary>
    public static string Describe(Instant instant, DateTimeZone zone)
    {
        var local = instant.InZone(zone);
        return local.ToString("ddd, MMM d 'at' h:mm tt", System.Globalization.CultureInfo.InvariantCulture)
               + " " + TimeZones.AbbreviationAt(zone, instant);
    }

    /// <summary>
    /// The same in a client's language (SPEC §13): English as above, Spanish <c>mié, 8 ene a las 10:00 a. m. EST</c>
    /// (the culture's day and month abbreviations without their dots, and its a. m./p. m.); same zone rules.
    /// </summary>
    public static string Describe(Instant instant, DateTimeZone zone, string language)
    {
        if (!language.StartsWith("es", StringComparison.OrdinalIgnoreCase)) return Describe(instant, zone);
        var local = instant.InZone(zone);
        var names = System.Globalization.CultureInfo.GetCultureInfo("es").DateTimeFormat;
        var day = names.GetAbbreviatedDayName((DayOfWeek)(local.DayOfWeek == IsoDayOfWeek.Sunday ? 0 : (int)local.DayOfWeek)).TrimEnd('.');
        var month = names.GetAbbreviatedMonthName(local.Month).TrimEnd('.');
        var hour = local.ClockHourOfHalfDay;
        // ICU writes "a. m." with a no-break space; texts use a plain one.
        var half = (local.Hour < 12 ? names.AMDesignator : names.PMDesignator).Replace('\u00A0', ' ').Replace('\u202F', ' ');
        return $"{day}, {local.Day} {month} a las {hour}:{local.Minute:D2} {half} {TimeZones.AbbreviationAt(zone, instant)}";
    }
}
