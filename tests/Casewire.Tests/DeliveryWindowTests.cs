using Casewire.Milestones;
using Casewire.Model;
using NodaTime;

namespace Casewire.Tests;

/// <summary>
/// SPEC §6: automatic notifications go out Monday to Friday, 08:00–20:00 by default, in the company's
/// time zone; one due outside the window waits for the next opening, at 08:00 local time even when
/// DST changed in between.
/// </summary>
public sealed class DeliveryWindowTests
{
    static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    static readonly LocalTime Eight = new(8, 0);
    static readonly LocalTime Twenty = new(20, 0);

    static Instant InNewYork(int year, int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(NewYork).ToInstant();

    static LocalDateTime Local(Instant instant) => instant.InZone(NewYork).LocalDateTime;

    static Instant NextOpening(Instant at) => BusinessHours.NextOpening(at, NewYork, Eight, Twenty);

    [Fact]
    public void FridayAtNineInTheEveningWaitsForMondayAtEight() =>
        Assert.Equal(InNewYork(2026, 1, 12, 8), NextOpening(InNewYork(2026, 1, 9, 21)));

    [Fact]
    public void SaturdayNoonWaitsForMondayAtEight() =>
        Assert.Equal(InNewYork(2026, 1, 12, 8), NextOpening(InNewYork(2026, 1, 10, 12)));

    [Fact]
    public void SundayNightWaitsForMondayAtEight() =>
        Assert.Equal(InNewYork(2026, 1, 12, 8), NextOpening(InNewYork(2026, 1, 11, 23, 59)));

    [Fact]
    public void TuesdayAtSevenWaitsForTuesdayAtEight() =>
        Assert.Equal(InNewYork(2026, 1, 6, 8), NextOpening(InNewYork(2026, 1, 6, 7)));

    [Fact]
    public void TuesdayAtTenGoesAtOnce() =>
        Assert.Equal(InNewYork(2026, 1, 6, 10), NextOpening(InNewYork(2026, 1, 6, 10)));

    [Fact]
    public void TuesdayAtHalfPastEightInTheEveningWaitsForWednesdayAtEight() =>
        Assert.Equal(InNewYork(2026, 1, 7, 8), NextOpening(InNewYork(2026, 1, 6, 20, 30)));

    [Fact]
    public void TheWindowOpensAtItsStartAndClosesAtItsEnd()
    {
        Assert.Equal(InNewYork(2026, 1, 6, 8), NextOpening(InNewYork(2026, 1, 6, 8)));
        Assert.Equal(InNewYork(2026, 1, 6, 19, 59), NextOpening(InNewYork(2026, 1, 6, 19, 59)));
        Assert.Equal(InNewYork(2026, 1, 7, 8), NextOpening(InNewYork(2026, 1, 6, 20)));
    }

    [Fact]
    public void AFridayEveningChangeBeforeTheNovemberDstChangeIsDeliveredMondayAtEightStandardTime()
    {
        // Clocks fall back on Sunday 2026-11-01: Friday is EDT (UTC-4), Monday EST (UTC-5).
        var opening = NextOpening(InNewYork(2026, 10, 30, 21));

        Assert.Equal(new LocalDateTime(2026, 11, 2, 8, 0), Local(opening));
        Assert.Equal(Instant.FromUtc(2026, 11, 2, 13, 0), opening);
    }

    [Fact]
    public void AFridayEveningChangeBeforeTheMarchDstChangeIsDeliveredMondayAtEightDaylightTime()
    {
        // Clocks spring forward on Sunday 2026-03-08: Friday is EST (UTC-5), Monday EDT (UTC-4).
        var opening = NextOpening(InNewYork(2026, 3, 6, 21));

        Assert.Equal(new LocalDateTime(2026, 3, 9, 8, 0), Local(opening));
        Assert.Equal(Instant.FromUtc(2026, 3, 9, 12, 0), opening);
    }

    [Fact]
    public void AConfiguredWindowIsHonoured()
    {
        var opening = BusinessHours.NextOpening(InNewYork(2026, 1, 6, 17, 30), NewYork, new LocalTime(9, 0), new LocalTime(17, 0));

        Assert.Equal(InNewYork(2026, 1, 7, 9), opening);
    }

    [Fact]
    public void TheWindowIsReadInTheCompanysOwnZone()
    {
        var losAngeles = DateTimeZoneProviders.Tzdb["America/Los_Angeles"];
        // 10:00 in New York is 07:00 in Los Angeles: a firm there waits an hour.
        var opening = BusinessHours.NextOpening(InNewYork(2026, 1, 6, 10), losAngeles, Eight, Twenty);

        Assert.Equal(InNewYork(2026, 1, 6, 11), opening);
    }

    [Fact]
    public void AnImmediateCompanyIsNeverDelayed()
    {
        var company = new Company { Slug = "x", Name = "X", DeliveryWindow = DeliveryWindow.Immediate };
        var saturdayNight = InNewYork(2026, 1, 10, 23).ToDateTimeOffset();

        Assert.Equal(saturdayNight, BusinessHours.DeliverAt(company, saturdayNight));
    }

    [Fact]
    public void ABusinessHoursCompanyUsesItsZoneAndHours()
    {
        var company = new Company
        {
            Slug = "x", Name = "X", TimeZone = "America/Chicago", WindowStart = new TimeOnly(9, 30), WindowEnd = new TimeOnly(18, 0),
        };
        var fridayEvening = new LocalDateTime(2026, 1, 9, 18, 0).InZoneStrictly(DateTimeZoneProviders.Tzdb["America/Chicago"]).ToDateTimeOffset();

        Assert.Equal(new DateTimeOffset(2026, 1, 12, 15, 30, 0, TimeSpan.Zero), BusinessHours.DeliverAt(company, fridayEvening));
    }

    [Fact]
    public void DaysAreCalendarDaysInTheCompanysZoneAcrossDst()
    {
        var company = new Company { Slug = "x", Name = "X" };
        var beforeChange = InNewYork(2026, 10, 29, 10).ToDateTimeOffset();

        var weekLater = BusinessHours.DaysAfter(company, beforeChange, 7);

        Assert.Equal(new LocalDateTime(2026, 11, 5, 10, 0), Local(Instant.FromDateTimeOffset(weekLater)));
    }
}
