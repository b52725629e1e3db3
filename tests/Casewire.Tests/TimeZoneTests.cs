using Casewire.Time;
using NodaTime;

namespace Casewire.Tests;

/// <summary>SPEC §5: the time zones and event times a CMS sends, and how Casewire writes them.</summary>
public sealed class TimeZoneTests
{
    [Theory]
    [InlineData("America/New_York", "America/New_York")]
    [InlineData("america/new_york", "America/New_York")]
    [InlineData("EST", "America/New_York")]
    [InlineData("edt", "America/New_York")]
    [InlineData("ET", "America/New_York")]
    [InlineData("Eastern", "America/New_York")]
    [InlineData("Eastern Standard Time", "America/New_York")] // Windows
    [InlineData("Central Standard Time", "America/Chicago")] // Windows
    [InlineData("CST", "America/Chicago")]
    [InlineData("MT", "America/Denver")]
    [InlineData("America/Phoenix", "America/Phoenix")]
    [InlineData("PST", "America/Los_Angeles")]
    [InlineData("Pacific", "America/Los_Angeles")]
    [InlineData("AKST", "America/Anchorage")]
    [InlineData("HST", "Pacific/Honolulu")]
    [InlineData("UTC", "UTC")]
    [InlineData("GMT", "UTC")]
    [InlineData("Z", "UTC")]
    [InlineData(" Europe/London ", "Europe/London")]
    public void NamedZonesResolveToTheirRegionsIanaZone(string input, string expected)
    {
        Assert.Equal(expected, TimeZones.Resolve(input)?.Id);
    }

    [Theory]
    [InlineData("+05:30", 5 * 60 + 30)]
    [InlineData("-0500", -5 * 60)]
    [InlineData("UTC-04:00", -4 * 60)]
    [InlineData("GMT+1", 60)]
    public void FixedOffsetsResolveToFixedZones(string input, int minutes)
    {
        var zone = TimeZones.Resolve(input);
        Assert.NotNull(zone);
        Assert.Equal(Offset.FromSeconds(minutes * 60), zone.GetUtcOffset(Instant.FromUtc(2026, 7, 1, 0, 0)));
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("XYZ")]
    [InlineData("+25:00")]
    [InlineData("")]
    [InlineData(null)]
    public void UnknownZonesAreNotGuessed(string? input)
    {
        Assert.Null(TimeZones.Resolve(input));
    }

    [Fact]
    public void EstInJulyIsNewYorkDaylightTime()
    {
        var start = Start("2026-07-01 09:00:00", "EST");

        Assert.Equal(Offset.FromHours(-4), start.Offset);
    }

    [Fact]
    public void PhoenixInJulyIsSevenHoursBehindUtc()
    {
        Assert.Equal(Offset.FromHours(-7), Start("2026-07-01 09:00:00", "America/Phoenix").Offset);
    }

    [Theory]
    [InlineData("2026-03-08 02:30:00", "2026-03-08T03:30:00-04")] // skipped: forward by the gap
    [InlineData("2026-11-01 01:30:00", "2026-11-01T01:30:00-04")] // repeated: the earlier instant
    [InlineData("2024-01-01 08:00:00", "2024-01-01T08:00:00-05")]
    [InlineData("2024-01-01T08:00", "2024-01-01T08:00:00-05")]
    public void WallClockTimesFollowTheDstRules(string input, string expected)
    {
        var start = Start(input, "America/New_York");

        Assert.Equal(expected, start.ToString("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH>", null));
    }

    [Theory]
    [InlineData("2024-01-01T13:00:00Z", "2024-01-01T13:00:00Z")]
    [InlineData("2024-01-01T08:00:00-05:00", "2024-01-01T13:00:00Z")]
    [InlineData("2024-01-01 08:00:00+01:00", "2024-01-01T07:00:00Z")]
    public void AnOffsetInTheValueWinsOverTheZone(string input, string expectedUtc)
    {
        var parsed = Assert.IsType<EventTimes.Absolute>(EventTimes.Parse(input));

        Assert.Equal(expectedUtc, parsed.Value.ToInstant().ToString());
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("2024-13-01 08:00:00")]
    [InlineData("2024-01-01")]
    [InlineData("01/02/2024 08:00")]
    public void MalformedTimesAreRefused(string input)
    {
        Assert.Null(EventTimes.Parse(input));
    }

    [Theory]
    [InlineData("2024-01-01 08:00:00", "America/New_York", "Mon, Jan 1 at 8:00 AM EST")]
    [InlineData("2026-07-01 09:00:00", "America/New_York", "Wed, Jul 1 at 9:00 AM EDT")]
    [InlineData("2026-07-01 14:05:00", "America/Phoenix", "Wed, Jul 1 at 2:05 PM MST")]
    public void TimesAreWrittenAsLocalTimeWithTheAbbreviationOfThatDate(string input, string zone, string expected)
    {
        var start = Start(input, zone);

        Assert.Equal(expected, EventTimes.Describe(start.ToInstant(), TimeZones.Resolve(zone)!));
    }

    static ZonedDateTime Start(string input, string zoneName)
    {
        var zone = TimeZones.Resolve(zoneName)!;
        var local = Assert.IsType<EventTimes.Local>(EventTimes.Parse(input));
        return EventTimes.ToInstant(local.Value, zone).InZone(zone);
    }
}
