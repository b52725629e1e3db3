using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.TimeZones;

namespace Casewire.Time;

/// <summary>
/// Reads the time zones a CMS sends (SPEC §5), in one table-driven place: IANA ids, Windows ids
/// (CLDR's mapping, shipped with NodaTime), the US abbreviations and names — an abbreviation names
/// its region's zone, so "EST" in July is New York daylight time — UTC/GMT/Z and fixed offsets.
/// </summary>
static partial class TimeZones
{
    /// <summary>Shown in the 400 when a zone is not understood.</summary>
    public const string Examples = "an IANA id (America/New_York, America/Phoenix), a Windows id (Eastern Standard Time), " +
                                   "a US abbreviation or name (EST, ET, Eastern, CST, MT, PST, AKST, HST), UTC, or an offset (+05:30)";

    static readonly Dictionary<string, string> Names = BuildNames();

    static Dictionary<string, string> BuildNames()
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Region(string zone, params string[] aliases)
        {
            foreach (var alias in aliases) names[alias] = zone;
        }
        Region("America/New_York", "EST", "EDT", "ET", "Eastern", "Eastern Time", "US Eastern");
        Region("America/Chicago", "CST", "CDT", "CT", "Central", "Central Time", "US Central");
        Region("America/Denver", "MST", "MDT", "MT", "Mountain", "Mountain Time", "US Mountain");
        Region("America/Phoenix", "Arizona", "Arizona Time");
        Region("America/Los_Angeles", "PST", "PDT", "PT", "Pacific", "Pacific Time", "US Pacific");
        Region("America/Anchorage", "AKST", "AKDT", "AKT", "Alaska", "Alaska Time");
        Region("Pacific/Honolulu", "HST", "HDT", "HT", "Hawaii", "Hawaii Time", "Hawaii-Aleutian");
        Region("UTC", "UTC", "GMT", "Z", "Zulu", "Etc/UTC", "Etc/GMT");
        return names;
    }

    /// <summary>The zone for <paramref name="text"/>, or null when it is none of the accepted forms.</summary>
    public static DateTimeZone? Resolve(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var value = text.Trim();
        if (Names.TryGetValue(value, out var mapped)) return DateTimeZoneProviders.Tzdb[mapped];
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(value) is { } iana) return iana;
        if (TzdbDateTimeZoneSource.Default.WindowsMapping.PrimaryMapping.TryGetValue(value, out var fromWindows))
            return DateTimeZoneProviders.Tzdb[fromWindows];
        var ignoringCase = DateTimeZoneProviders.Tzdb.Ids.FirstOrDefault(id => id.Equals(value, StringComparison.OrdinalIgnoreCase));
        if (ignoringCase is not null) return DateTimeZoneProviders.Tzdb[ignoringCase];
        return FixedOffset(value);
    }

    /// <summary><c>+05:30</c>, <c>-0500</c>, <c>+5</c>, optionally after UTC/GMT (<c>UTC-04:00</c>).</summary>
    static DateTimeZone? FixedOffset(string value)
    {
        var match = OffsetPattern().Match(value);
        if (!match.Success) return null;
        var hours = int.Parse(match.Groups["h"].Value);
        var minutes = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value) : 0;
        if (hours > 14 || minutes > 59) return null;
        var seconds = (hours * 3600 + minutes * 60) * (match.Groups["sign"].Value == "-" ? -1 : 1);
        return DateTimeZone.ForOffset(Offset.FromSeconds(seconds));
    }

    /// <summary>The zone's abbreviation at an instant (EST or EDT), or its offset where the zone has none.</summary>
    public static string AbbreviationAt(DateTimeZone zone, Instant instant)
    {
        var name = zone.GetZoneInterval(instant).Name;
        return name.Length > 0 && char.IsLetter(name[0]) ? name : "UTC" + zone.GetUtcOffset(instant).ToString("m", null);
    }

    [GeneratedRegex(@"^(?:UTC|GMT)?\s*(?<sign>[+-])(?<h>\d{1,2})(?::?(?<m>\d{2}))?$", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetPattern();
}
