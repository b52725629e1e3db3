using System.Globalization;
using Casewire.Calendar;
using Casewire.Data;
using Casewire.Model;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.Partner;

sealed record ReminderResponse(string Unit, int Amount, DateTimeOffset SendAt, string SendAtLocal, string Status, string? Reason);

sealed record CalendarEventResponse(
    string Id, string ProjectId, string Title, string? Description, string? Location, string StartTime, string EndTime, string Timezone,
    string StartsAt, string Status, IReadOnlyList<ContactResponse> Attendees, IReadOnlyList<TeamMemberResponse> TeamMembers,
    IReadOnlyList<TeamMemberResponse> OtherMembers, IReadOnlyList<ReminderResponse> Reminders, IReadOnlyList<string>? Warnings)
{
    /// <summary>An event loaded with its people and reminders (<see cref="CalendarEventsApi"/>'s <c>Load</c>).</summary>
    public static async Task<CalendarEventResponse> OfAsync(
        CasewireDb db, CalendarEvent ev, string projectId, List<string>? warnings, CancellationToken ct) =>
        Of(ev, projectId, await ReminderDeliveriesAsync(db, [ev], ct), warnings);

    /// <summary>Events of one project, their reminders' deliveries read in one query for all of them.</summary>
    public static async Task<List<CalendarEventResponse>> OfAsync(CasewireDb db, List<CalendarEvent> events, string projectId, CancellationToken ct)
    {
        var deliveries = await ReminderDeliveriesAsync(db, events, ct);
        return events.Select(ev => Of(ev, projectId, deliveries, warnings: null)).ToList();
    }

    /// <summary>The status of each delivery of the events' reminder messages, by message id.</summary>
    static async Task<ILookup<int, DeliveryStatus>> ReminderDeliveriesAsync(CasewireDb db, IEnumerable<CalendarEvent> events, CancellationToken ct)
    {
        var messageIds = events.SelectMany(e => e.Reminders).Where(r => r.MessageId is not null).Select(r => r.MessageId!.Value).Distinct().ToList();
        var deliveries = messageIds.Count == 0
            ? []
            : await db.OutboxItems.AsNoTracking().Where(o => messageIds.Contains(o.MessageId!.Value))
                .Select(o => new { o.MessageId, o.Status }).ToListAsync(ct);
        return deliveries.ToLookup(d => d.MessageId!.Value, d => d.Status);
    }

    static CalendarEventResponse Of(CalendarEvent ev, string projectId, ILookup<int, DeliveryStatus> deliveries, List<string>? warnings)
    {
        var zone = TimeZones.Resolve(ev.TimeZone) ?? DateTimeZone.Utc;
        var reminders = ev.Reminders
            .Where(r => ReminderStates.IsCurrent(ev, r))
            .OrderBy(r => r.SendAt)
            .Select(r =>
            {
                var (status, reason) = ReminderStates.Of(r, r.MessageId is { } m ? deliveries[m].ToList() : []);
                return new ReminderResponse(r.Unit.ToString().ToLowerInvariant(), r.Amount, r.SendAt,
                    EventTimes.Describe(Instant.FromDateTimeOffset(r.SendAt), zone), status, reason);
            }).ToList();
        return new CalendarEventResponse(
            ev.ExternalId, projectId, ev.Title, ev.Description, ev.Location, Format(ev.StartAt, zone), Format(ev.EndAt, zone), zone.Id,
            EventTexts.When(ev), ev.CanceledAt is null ? "scheduled" : "canceled",
            ev.Attendees.Select(a => ContactResponse.From(a.Contact)).ToList(),
            ev.Members.Where(m => m.AssignedToProject).Select(m => TeamMemberResponse.From(m.TeamMember)).ToList(),
            ev.Members.Where(m => !m.AssignedToProject).Select(m => TeamMemberResponse.From(m.TeamMember)).ToList(),
            reminders, warnings);
    }

    /// <summary>ISO 8601 with the offset the event's zone has at that instant: <c>2024-01-01T08:00:00-05:00</c>.</summary>
    static string Format(DateTimeOffset instant, DateTimeZone zone) =>
        Instant.FromDateTimeOffset(instant).InZone(zone).ToOffsetDateTime()
            .ToString("uuuu'-'MM'-'dd'T'HH':'mm':'sso<Z+HH:mm>", CultureInfo.InvariantCulture);
}
