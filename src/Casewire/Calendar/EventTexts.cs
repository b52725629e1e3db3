using Casewire.Model;
using Casewire.Time;

namespace Casewire.Calendar;

/// <summary>
/// What clients and staff read about an event (SPEC §5): always its title and its local date and
/// time in the event's zone (<c>Mon, Jan 1 at 8:00 AM EST</c>), and its location when there is one.
/// </summary>
static class EventTexts
{
    public static string When(CalendarEvent ev) => When(ev, ev.StartAt);

    public static string When(CalendarEvent ev, DateTimeOffset start) =>
        EventTimes.Describe(NodaTime.Instant.FromDateTimeOffset(start), TimeZones.Resolve(ev.TimeZone) ?? NodaTime.DateTimeZone.Utc);

    static string At(CalendarEvent ev) => string.IsNullOrWhiteSpace(ev.Location) ? "" : $" at {ev.Location}";

    public static string Reminder(CalendarEvent ev, string firm) => $"{firm}: reminder of {ev.Title} on {When(ev)}{At(ev)}.";

    public static string ReminderSubject(CalendarEvent ev) => $"Reminder: {ev.Title}, {When(ev)}";

    public static string Scheduled(CalendarEvent ev, string firm) => $"{firm}: {ev.Title} is scheduled for {When(ev)}{At(ev)}.";

    public static string ScheduledSubject(CalendarEvent ev) => $"Scheduled: {ev.Title}, {When(ev)}";

    public static string Rescheduled(CalendarEvent ev, DateTimeOffset oldStart, string? oldLocation, string firm)
    {
        var moved = oldStart != ev.StartAt ? $" has moved from {When(ev, oldStart)} to {When(ev)}" : $" on {When(ev)}";
        var place = oldLocation != ev.Location && !string.IsNullOrWhiteSpace(ev.Location) ? $", now at {ev.Location}" : At(ev);
        return $"{firm}: {ev.Title}{moved}{place}.";
    }

    public static string RescheduledSubject(CalendarEvent ev) => $"Rescheduled: {ev.Title}, {When(ev)}";

    public static string Canceled(CalendarEvent ev, string firm) => $"{firm}: {ev.Title} on {When(ev)} has been canceled.";

    public static string CanceledSubject(CalendarEvent ev) => $"Canceled: {ev.Title}, {When(ev)}";
}
