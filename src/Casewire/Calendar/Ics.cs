using System.Text;
using Casewire.Model;

namespace Casewire.Calendar;

/// <summary>
/// One event as an RFC 5545 calendar: a VEVENT whose UID is stable per event, so calendar apps
/// update (or, with METHOD:CANCEL, remove) the same entry every time. Times are in UTC.
/// </summary>
static class Ics
{
    public static string For(CalendarEvent ev, string firmName, DateTimeOffset now, bool canceled = false)
    {
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Casewire//Casewire//EN",
            "CALSCALE:GREGORIAN",
            canceled ? "METHOD:CANCEL" : "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            $"UID:{Uid(ev)}",
            $"DTSTAMP:{Utc(now)}",
            $"DTSTART:{Utc(ev.StartAt)}",
            $"DTEND:{Utc(ev.EndAt)}",
            $"SEQUENCE:{ev.Sequence}",
            $"SUMMARY:{Text(ev.Title)}",
            $"ORGANIZER;CN={Text(firmName)}:mailto:noreply@casewire.invalid",
            canceled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED",
        };
        if (!string.IsNullOrWhiteSpace(ev.Location)) lines.Add($"LOCATION:{Text(ev.Location)}");
        if (!string.IsNullOrWhiteSpace(ev.Description)) lines.Add($"DESCRIPTION:{Text(ev.Description)}");
        lines.Add("END:VEVENT");
        lines.Add("END:VCALENDAR");
        var ics = new StringBuilder();
        foreach (var line in lines) Fold(ics, line);
        return ics.ToString();
    }

    /// <summary>Stable for the life of the event: company and Casewire id.</summary>
    public static string Uid(CalendarEvent ev) => $"event-{ev.CompanyId}-{ev.Id}@casewire";

    static string Utc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'");

    /// <summary>RFC 5545 §3.3.11: backslash, semicolon, comma and newlines are escaped.</summary>
    static string Text(string value) => value
        .Replace("\\", "\\\\").Replace(";", "\\;").Replace(",", "\\,").Replace("\r\n", "\\n").Replace("\n", "\\n").Replace("\r", "\\n");

    /// <summary>RFC 5545 §3.1: lines of at most 75 octets, continued with CRLF and a space.</summary>
    static void Fold(StringBuilder ics, string line)
    {
        var bytes = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (bytes + size > 75)
            {
                ics.Append("\r\n ");
                bytes = 1;
            }
            ics.Append(rune.ToString());
            bytes += size;
        }
        ics.Append("\r\n");
    }
}
