using Casewire.Milestones;
using Casewire.Model;
using Casewire.Texts;
using Casewire.Time;

namespace Casewire.Calendar;

/// <summary>
/// What clients and staff read about an event (SPEC §5): always its title and its local date and
/// time in the event's zone (<c>Mon, Jan 1 at 8:00 AM EST</c>), and its location when there is one.
/// Each text is written in the reader's language (SPEC §13: English or Spanish; English when not given).
/// </summary>
static class EventTexts
{
    public static string When(CalendarEvent ev) => When(ev, ev.StartAt);

    public static string When(CalendarEvent ev, DateTimeOffset start, string language = Languages.English) =>
        EventTimes.Describe(NodaTime.Instant.FromDateTimeOffset(start), TimeZones.Resolve(ev.TimeZone) ?? NodaTime.DateTimeZone.Utc, language);

    static bool Es(string language) => Languages.Of(language) == Languages.Spanish;

    static string At(CalendarEvent ev, string language) =>
        string.IsNullOrWhiteSpace(ev.Location) ? "" : Es(language) ? $" en {ev.Location}" : $" at {ev.Location}";

    public static string Reminder(CalendarEvent ev, string firm, string language = Languages.English) => Es(language)
        ? $"{firm}: recordatorio de {ev.Title} el {When(ev, ev.StartAt, language)}{At(ev, language)}."
        : $"{firm}: reminder of {ev.Title} on {When(ev)}{At(ev, language)}.";

    /// <summary>The reminder in the firm's own words for this language (SPEC §13), when it wrote them; else Casewire's.</summary>
    public static string Reminder(CalendarEvent ev, string firm, string language, string? own) => own is null
        ? Reminder(ev, firm, language)
        : Template.FromStored(own).Render(new TemplateValues("", "", "", "", firm, "",
            EventTitle: ev.Title, EventWhen: When(ev, ev.StartAt, language), EventLocation: ev.Location ?? ""));

    public static string ReminderSubject(CalendarEvent ev, string language = Languages.English) => Es(language)
        ? $"Recordatorio: {ev.Title}, {When(ev, ev.StartAt, language)}"
        : $"Reminder: {ev.Title}, {When(ev)}";

    public static string Scheduled(CalendarEvent ev, string firm, string language = Languages.English) => Es(language)
        ? $"{firm}: {ev.Title} está programado para el {When(ev, ev.StartAt, language)}{At(ev, language)}."
        : $"{firm}: {ev.Title} is scheduled for {When(ev)}{At(ev, language)}.";

    public static string ScheduledSubject(CalendarEvent ev, string language = Languages.English) => Es(language)
        ? $"Programado: {ev.Title}, {When(ev, ev.StartAt, language)}"
        : $"Scheduled: {ev.Title}, {When(ev)}";

    public static string Rescheduled(CalendarEvent ev, DateTimeOffset oldStart, string? oldLocation, string firm, string language = Languages.English)
    {
        var es = Es(language);
        var moved = oldStart != ev.StartAt
            ? es ? $" ha cambiado del {When(ev, oldStart, language)} al {When(ev, ev.StartAt, language)}" : $" has moved from {When(ev, oldStart)} to {When(ev)}"
            : es ? $" el {When(ev, ev.StartAt, language)}" : $" on {When(ev)}";
        var place = oldLocation != ev.Location && !string.IsNullOrWhiteSpace(ev.Location)
            ? es ? $", ahora en {ev.Location}" : $", now at {ev.Location}"
            : At(ev, language);
        return $"{firm}: {ev.Title}{moved}{place}.";
    }

    public static string RescheduledSubject(CalendarEvent ev, string language = Languages.English) => Es(language)
        ? $"Cambio de fecha: {ev.Title}, {When(ev, ev.StartAt, language)}"
        : $"Rescheduled: {ev.Title}, {When(ev)}";

    public static string Canceled(CalendarEvent ev, string firm, string language = Languages.English) => Es(language)
        ? $"{firm}: {ev.Title} del {When(ev, ev.StartAt, language)} ha sido cancelado."
        : $"{firm}: {ev.Title} on {When(ev)} has been canceled.";

    public static string CanceledSubject(CalendarEvent ev, string language = Languages.English) => Es(language)
        ? $"Cancelado: {ev.Title}, {When(ev, ev.StartAt, language)}"
        : $"Canceled: {ev.Title}, {When(ev)}";
}
