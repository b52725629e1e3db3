using System.Text.Json;
using System.Text.Json.Serialization;
using Casewire.Calendar;
using Casewire.Data;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Partner.Auth;
using Casewire.Partner.Json;
using Casewire.Time;
using Casewire.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Casewire.Partner.ContactsApi;
using static Casewire.Partner.TeamMembersApi;

namespace Casewire.Partner;

/// <summary>SPEC §5: <c>POST calendar-event</c>, <c>DELETE</c> and <c>GET project/{projectId}/calendar-event/{eventId}</c>.</summary>
public static class CalendarEventsApi
{
    public sealed record CalendarEventRequest(
        [property: JsonConverter(typeof(IdStringConverter))] string? Id,
        [property: JsonConverter(typeof(IdStringConverter))] string? ProjectId,
        string? Title,
        List<JsonElement>? Attendees,
        List<JsonElement>? TeamMembers,
        List<JsonElement>? OtherMembers,
        string? StartTime,
        string? EndTime,
        string? Timezone,
        string? Location,
        string? Description,
        List<JsonElement>? Reminders,
        /// <summary>The published document's name for <c>reminders</c>.</summary>
        List<JsonElement>? Reminder,
        bool? Notify);

    public sealed record ReminderResponse(string Unit, int Amount, DateTimeOffset SendAt, string SendAtLocal, string Status, string? Reason);

    public sealed record CalendarEventResponse(
        string Id, string ProjectId, string Title, string? Description, string? Location, string StartTime, string EndTime, string Timezone,
        string StartsAt, string Status, IReadOnlyList<ContactResponse> Attendees, IReadOnlyList<TeamMemberResponse> TeamMembers,
        IReadOnlyList<TeamMemberResponse> OtherMembers, IReadOnlyList<ReminderResponse> Reminders, IReadOnlyList<string>? Warnings);

    public static RouteGroupBuilder MapCalendarEvents(this RouteGroupBuilder api)
    {
        api.MapPost("/calendar-event", Save)
            .WithName("SaveCalendarEvent").WithSummary("Create or update a calendar event and plan its reminders")
            .WithDescription("Keyed by the CMS event id within the company: 201 when created, 200 when updated. startTime is a wall-clock " +
                             "time in timezone (YYYY-MM-DD HH:mm:ss) or an ISO 8601 instant with an offset. Unresolved attendees and " +
                             "members are listed in warnings, not refused.")
            .WithIdempotency();
        api.MapDelete("/project/{projectId}/calendar-event/{eventId}", Cancel)
            .WithName("CancelCalendarEvent").WithSummary("Cancel a calendar event and its pending reminders");
        api.MapGet("/project/{projectId}/calendar-event/{eventId}", Get)
            .WithName("GetCalendarEvent").WithSummary("A calendar event with its reminders and their status").MarkAsExtension();
        api.MapGet("/projects/{externalId}/calendar-events", Upcoming)
            .WithName("ListUpcomingCalendarEvents").WithSummary("A project's upcoming events, soonest first").MarkAsExtension();
        return api;
    }

    static async Task<Results<Created<CalendarEventResponse>, Ok<CalendarEventResponse>, ValidationProblem, ProblemHttpResult>> Save(
        CalendarEventRequest request, CasewireDb db, Tenant tenant, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var eventId = errors.Required("id", request.Id, Limits.ExternalId);
        var projectId = errors.Required("projectId", request.ProjectId, Limits.ExternalId);
        var title = errors.Required("title", request.Title, Limits.Name);
        var location = errors.Optional("location", request.Location, Limits.Name);
        var description = errors.Optional("description", request.Description, Limits.MessageText);
        var (start, end, zone) = ReadTimes(request, errors);
        var reminderField = request.Reminders is not null || request.Reminder is null ? "reminders" : "reminder";
        var reminders = CalendarEventRequests.ReadReminders(reminderField, request.Reminders ?? request.Reminder, errors);
        var attendeeRefs = CalendarEventRequests.ReadReferences("attendees", request.Attendees, errors);
        var teamRefs = CalendarEventRequests.ReadReferences("teamMembers", request.TeamMembers, errors);
        var otherRefs = CalendarEventRequests.ReadReferences("otherMembers", request.OtherMembers, errors);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), errors.Summary);

        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.CompanyId == tenant.CompanyId && p.ExternalId == projectId, ct);
        if (project is null) return Problems.NotFound("project", projectId);

        return await Upsert.InTransactionWithRetryAsync(db, async () =>
        {
            var now = time.GetUtcNow().TruncateToMilliseconds();
            var warnings = new List<string>();
            var attendees = await CalendarEventRequests.ResolveContactsAsync(db, tenant.CompanyId, tenant.DefaultRegion, attendeeRefs, warnings, "attendees", ct);
            var team = await CalendarEventRequests.ResolveMembersAsync(db, tenant.CompanyId, teamRefs, warnings, "teamMembers", ct);
            var others = await CalendarEventRequests.ResolveMembersAsync(db, tenant.CompanyId, otherRefs, warnings, "otherMembers", ct);

            var ev = await Load(db).FirstOrDefaultAsync(e => e.CompanyId == tenant.CompanyId && e.ExternalId == eventId, ct);
            var created = ev is null;
            if (ev is not null && ev.ProjectId != project.Id)
                return (Results<Created<CalendarEventResponse>, Ok<CalendarEventResponse>, ValidationProblem, ProblemHttpResult>)TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict, title: "Event belongs to another project",
                    detail: $"Event '{FieldErrors.Shorten(eventId)}' belongs to another project of this company; an event cannot move between projects.");
            ev ??= db.CalendarEvents.Add(new CalendarEvent
            {
                CompanyId = tenant.CompanyId, ExternalId = eventId, ProjectId = project.Id, Title = title, TimeZone = zone.Id, CreatedAt = now,
            }).Entity;

            var reactivated = ev.CanceledAt is not null;
            var (oldStart, oldLocation) = (ev.StartAt, ev.Location);
            var moved = !created && (ev.StartAt != start || ev.Location != location);
            ev.Title = title;
            ev.Description = description;
            ev.Location = location;
            ev.StartAt = start;
            ev.EndAt = end;
            ev.TimeZone = zone.Id;
            ev.CanceledAt = null;
            SetPeople(ev, attendees, team, others);
            if (created) await db.SaveChangesAsync(ct); // the event's id names its reminders' outbox items
            if (db.ChangeTracker.HasChanges() || created) { ev.UpdatedAt = now; if (!created) ev.Sequence++; }

            var messages = new EventMessages(db, outbox, tenant.CompanyName, tenant.SenderNumber, now);
            await messages.PlanRemindersAsync(ev, reminders, replanAll: reactivated || (!created && oldStart != start), ct);
            if (request.Notify == true && (created || reactivated))
                messages.Notify(ev, EventTexts.Scheduled(ev, tenant.CompanyName), EventTexts.ScheduledSubject(ev));
            else if (request.Notify == true && moved)
                messages.Notify(ev, EventTexts.Rescheduled(ev, oldStart, oldLocation, tenant.CompanyName), EventTexts.RescheduledSubject(ev));
            await db.SaveChangesAsync(ct);

            var body = await ToResponseAsync(db, ev, projectId, warnings, ct);
            return created
                ? TypedResults.Created($"/partner/v2/project/{Uri.EscapeDataString(projectId)}/calendar-event/{Uri.EscapeDataString(eventId)}", body)
                : TypedResults.Ok(body);
        }, ct);
    }

    /// <summary>Start, end and zone by SPEC §5; errors are keyed by the field at fault.</summary>
    static (DateTimeOffset Start, DateTimeOffset End, DateTimeZone Zone) ReadTimes(CalendarEventRequest request, FieldErrors errors)
    {
        var parsedStart = EventTimes.Parse(request.StartTime);
        var parsedEnd = EventTimes.Parse(request.EndTime);
        const string forms = "use YYYY-MM-DD HH:mm:ss (a wall-clock time in timezone) or an ISO 8601 instant with an offset, e.g. 2024-01-01T08:00:00-05:00";
        if (string.IsNullOrWhiteSpace(request.StartTime)) errors.Add("startTime", $"startTime is required: {forms}.");
        else if (parsedStart is null) errors.Add("startTime", $"startTime '{FieldErrors.Shorten(request.StartTime)}' is not a date and time; {forms}.");
        if (!string.IsNullOrWhiteSpace(request.EndTime) && parsedEnd is null)
            errors.Add("endTime", $"endTime '{FieldErrors.Shorten(request.EndTime)}' is not a date and time; {forms}.");
        // Far from now, a time (with its reminders, a year before) would leave what instants can hold: a 500.
        if (parsedStart is not null && !EventTimes.IsSupported(parsedStart))
            errors.Add("startTime", $"startTime '{FieldErrors.Shorten(request.StartTime!)}' is out of range; {EventTimes.SupportedRange}.");
        if (parsedEnd is not null && !EventTimes.IsSupported(parsedEnd))
            errors.Add("endTime", $"endTime '{FieldErrors.Shorten(request.EndTime!)}' is out of range; {EventTimes.SupportedRange}.");

        var zone = TimeZones.Resolve(request.Timezone);
        if (!string.IsNullOrWhiteSpace(request.Timezone) && zone is null)
            errors.Add("timezone", $"timezone '{FieldErrors.Shorten(request.Timezone)}' is not known; use {TimeZones.Examples}.");
        if (zone is null && parsedStart is EventTimes.Absolute absolute && string.IsNullOrWhiteSpace(request.Timezone))
            zone = DateTimeZone.ForOffset(absolute.Value.Offset);
        if (zone is null && string.IsNullOrWhiteSpace(request.Timezone) && parsedStart is EventTimes.Local)
            errors.Add("timezone", $"timezone is required when startTime has no offset; use {TimeZones.Examples}.");
        if (zone is null || parsedStart is null || errors.Any) return (default, default, zone ?? DateTimeZone.Utc);

        var start = ToInstant(parsedStart, zone);
        var end = parsedEnd is null ? start + Duration.FromMinutes(30) : ToInstant(parsedEnd, zone);
        if (end <= start) errors.Add("endTime", "endTime must be after startTime (leave it out for a 30-minute event).");
        return (start.ToDateTimeOffset(), end.ToDateTimeOffset(), zone);
    }

    static Instant ToInstant(EventTimes.Parsed parsed, DateTimeZone zone) => parsed switch
    {
        EventTimes.Absolute a => a.Value.ToInstant(),
        EventTimes.Local l => EventTimes.ToInstant(l.Value, zone),
        _ => throw new ArgumentOutOfRangeException(nameof(parsed)),
    };

    static void SetPeople(CalendarEvent ev, List<Contact> attendees, List<TeamMember> team, List<TeamMember> others)
    {
        ev.Attendees.RemoveAll(a => !attendees.Any(c => c.Id == a.ContactId));
        foreach (var contact in attendees.Where(c => ev.Attendees.All(a => a.ContactId != c.Id)))
            ev.Attendees.Add(new EventAttendee { ContactId = contact.Id, Contact = contact });
        var members = team.Select(m => (Member: m, Assigned: true)).Concat(others.Where(o => !team.Contains(o)).Select(m => (Member: m, Assigned: false))).ToList();
        ev.Members.RemoveAll(m => !members.Any(x => x.Member.Id == m.TeamMemberId));
        foreach (var (member, assigned) in members)
        {
            var link = ev.Members.FirstOrDefault(m => m.TeamMemberId == member.Id);
            if (link is null) ev.Members.Add(new EventMember { TeamMemberId = member.Id, TeamMember = member, AssignedToProject = assigned });
            else if (link.AssignedToProject != assigned) link.AssignedToProject = assigned;
        }
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Cancel(
        string projectId, string eventId, bool? notify, CasewireDb db, Tenant tenant, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var ev = await Load(db).FirstOrDefaultAsync(e => e.CompanyId == tenant.CompanyId && e.ExternalId == eventId && e.Project.ExternalId == projectId, ct);
        if (ev is null) return EventNotFound(projectId, eventId);
        if (ev.CanceledAt is not null) return TypedResults.NoContent(); // already canceled: no second notice

        var now = time.GetUtcNow().TruncateToMilliseconds();
        ev.CanceledAt = now;
        ev.UpdatedAt = now;
        ev.Sequence++;
        var messages = new EventMessages(db, outbox, tenant.CompanyName, tenant.SenderNumber, now);
        await messages.CancelRemindersAsync(ev, ct);
        if (notify == true) messages.Notify(ev, EventTexts.Canceled(ev, tenant.CompanyName), EventTexts.CanceledSubject(ev), canceled: true);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<CalendarEventResponse>, ProblemHttpResult>> Get(
        string projectId, string eventId, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        var ev = await Load(db).AsNoTracking()
            .FirstOrDefaultAsync(e => e.CompanyId == tenant.CompanyId && e.ExternalId == eventId && e.Project.ExternalId == projectId, ct);
        return ev is null ? EventNotFound(projectId, eventId) : TypedResults.Ok(await ToResponseAsync(db, ev, projectId, warnings: null, ct));
    }

    static async Task<Results<Ok<List<CalendarEventResponse>>, ProblemHttpResult>> Upcoming(
        string externalId, CasewireDb db, Tenant tenant, TimeProvider time, CancellationToken ct)
    {
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.CompanyId == tenant.CompanyId && p.ExternalId == externalId, ct);
        if (project is null) return Problems.NotFound("project", externalId);
        var now = time.GetUtcNow();
        var events = await Load(db).AsNoTracking()
            .Where(e => e.ProjectId == project.Id && e.CanceledAt == null && e.EndAt >= now)
            .OrderBy(e => e.StartAt).Take(100).ToListAsync(ct);
        var list = new List<CalendarEventResponse>();
        foreach (var ev in events) list.Add(await ToResponseAsync(db, ev, externalId, warnings: null, ct));
        return TypedResults.Ok(list);
    }

    static ProblemHttpResult EventNotFound(string projectId, string eventId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Not found",
        detail: $"No calendar event '{FieldErrors.Shorten(eventId)}' exists in project '{FieldErrors.Shorten(projectId)}' of this company.");

    static IQueryable<CalendarEvent> Load(CasewireDb db) => db.CalendarEvents
        .Include(e => e.Attendees).ThenInclude(a => a.Contact)
        .Include(e => e.Members).ThenInclude(m => m.TeamMember)
        .Include(e => e.Reminders)
        .AsSplitQuery();

    static async Task<CalendarEventResponse> ToResponseAsync(CasewireDb db, CalendarEvent ev, string projectId, List<string>? warnings, CancellationToken ct)
    {
        var zone = TimeZones.Resolve(ev.TimeZone) ?? DateTimeZone.Utc;
        var messageIds = ev.Reminders.Where(r => r.MessageId is not null).Select(r => r.MessageId!.Value).ToList();
        var deliveries = messageIds.Count == 0
            ? []
            : await db.OutboxItems.AsNoTracking().Where(o => messageIds.Contains(o.MessageId!.Value))
                .Select(o => new { o.MessageId, o.Status }).ToListAsync(ct);
        var reminders = ev.Reminders
            .Where(r => ReminderStates.IsCurrent(ev, r))
            .OrderBy(r => r.SendAt)
            .Select(r =>
            {
                var (status, reason) = ReminderStates.Of(r, deliveries.Where(d => d.MessageId == r.MessageId).Select(d => d.Status).ToList());
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
            .ToString("uuuu'-'MM'-'dd'T'HH':'mm':'sso<Z+HH:mm>", System.Globalization.CultureInfo.InvariantCulture);
}
