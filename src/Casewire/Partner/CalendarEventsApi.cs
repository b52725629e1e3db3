using Casewire.Calendar;
using Casewire.Data;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Partner.Auth;
using Casewire.Texts;
using Casewire.Time;
using Casewire.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

using SaveEventResult = Results<Created<CalendarEventResponse>, Ok<CalendarEventResponse>, ValidationProblem, ProblemHttpResult>;

/// <summary>SPEC §5: <c>POST calendar-event</c>, <c>DELETE</c> and <c>GET project/{projectId}/calendar-event/{eventId}</c>.</summary>
static class CalendarEventsApi
{
    public static RouteGroupBuilder MapCalendarEvents(this RouteGroupBuilder api)
    {
        api.MapPost("/calendar-event", Save)
            .WithName("SaveCalendarEvent").WithSummary("Create or update a calendar event and plan its reminders")
            .WithDescription("Keyed by the CMS event id within the company: 201 when created, 200 when updated. startTime is a wall-clock " +
                             "time in timezone (YYYY-MM-DD HH:mm:ss) or an ISO 8601 instant with an offset. Unresolved attendees and " +
                             "members are listed in warnings, not refused.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithIdempotency();
        api.MapDelete("/project/{projectId}/calendar-event/{eventId}", Cancel)
            .WithName("CancelCalendarEvent").ProducesProblems(StatusCodes.Status404NotFound).WithSummary("Cancel a calendar event and its pending reminders");
        api.MapGet("/project/{projectId}/calendar-event/{eventId}", Get)
            .WithName("GetCalendarEvent").ProducesProblems(StatusCodes.Status404NotFound).WithSummary("A calendar event with its reminders and their status").MarkAsExtension();
        api.MapGet("/projects/{externalId}/calendar-events", Upcoming)
            .WithName("ListUpcomingCalendarEvents").ProducesProblems(StatusCodes.Status404NotFound).WithSummary("A project's upcoming events, soonest first").MarkAsExtension();
        return api;
    }

    static async Task<SaveEventResult> Save(
        CalendarEventRequest request, CasewireDb db, Tenant tenant, Outbox outbox, ClientTexts texts, TimeProvider time, CancellationToken ct)
    {
        if (!request.TryRead(out var input, out var errors)) return Problems.Invalid(errors);
        var project = await db.Projects.AsNoTracking().ForCompany(tenant.CompanyId).FirstOrDefaultAsync(p => p.ExternalId == input.ProjectId, ct);
        if (project is null) return Problems.NotFound("project", input.ProjectId);
        var ownReminders = await texts.ByLanguageAsync(tenant.CompanyId, TextKeys.Reminder, ct);

        return await Upsert.InTransactionWithRetryAsync<SaveEventResult>(db, async () =>
        {
            var now = time.GetUtcNow().TruncateToMilliseconds();
            var warnings = new List<string>();
            var people = await EventPeople.ResolveAsync(db, tenant.CompanyId, tenant.DefaultRegion, input, warnings, ct);

            var ev = await Load(db).ForCompany(tenant.CompanyId).FirstOrDefaultAsync(e => e.ExternalId == input.Id, ct);
            var created = ev is null;
            if (ev is not null && ev.ProjectId != project.Id) return EventOfAnotherProject(input.Id);
            ev ??= db.CalendarEvents.Add(new CalendarEvent
            {
                CompanyId = tenant.CompanyId, ExternalId = input.Id, ProjectId = project.Id, Title = input.Title, TimeZone = input.Zone.Id, CreatedAt = now,
            }).Entity;

            var reactivated = ev.CanceledAt is not null;
            var (oldStart, oldLocation) = (ev.StartAt, ev.Location);
            var moved = !created && (ev.StartAt != input.Start || ev.Location != input.Location);
            Apply(ev, input, people);
            if (created) await db.SaveChangesAsync(ct); // the event's id names its reminders' outbox items
            if (db.ChangeTracker.HasChanges() || created) { ev.UpdatedAt = now; if (!created) ev.Sequence++; }

            var messages = new EventMessages(db, outbox, tenant.CompanyName, tenant.SenderNumber, now, tenant.Language, ownReminders);
            await messages.PlanRemindersAsync(ev, input.Reminders, replanAll: reactivated || (!created && oldStart != input.Start), ct);
            if (input.Notify && (created || reactivated))
                messages.Notify(ev, language => (EventTexts.Scheduled(ev, tenant.CompanyName, language), EventTexts.ScheduledSubject(ev, language)));
            else if (input.Notify && moved)
                messages.Notify(ev, language => (EventTexts.Rescheduled(ev, oldStart, oldLocation, tenant.CompanyName, language), EventTexts.RescheduledSubject(ev, language)));
            await db.SaveChangesAsync(ct);

            var body = await CalendarEventResponse.OfAsync(db, ev, input.ProjectId, warnings, ct);
            return created ? TypedResults.Created(EventPath(input.ProjectId, input.Id), body) : TypedResults.Ok(body);
        }, ct);
    }

    /// <summary>What the request says of the event; an event posted again is no longer canceled.</summary>
    static void Apply(CalendarEvent ev, CalendarEventInput input, EventPeople people)
    {
        ev.Title = input.Title;
        ev.Description = input.Description;
        ev.Location = input.Location;
        ev.StartAt = input.Start;
        ev.EndAt = input.End;
        ev.TimeZone = input.Zone.Id;
        ev.CanceledAt = null;
        people.SetOn(ev);
    }

    static string EventPath(string projectId, string eventId) =>
        $"/partner/v2/project/{Uri.EscapeDataString(projectId)}/calendar-event/{Uri.EscapeDataString(eventId)}";

    static ProblemHttpResult EventOfAnotherProject(string eventId) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: "Event belongs to another project",
        detail: $"Event '{FieldErrors.Shorten(eventId)}' belongs to another project of this company; an event cannot move between projects.");

    static async Task<Results<NoContent, ProblemHttpResult>> Cancel(
        string projectId, string eventId, bool? notify, CasewireDb db, Tenant tenant, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var ev = await Load(db).ForCompany(tenant.CompanyId).FirstOrDefaultAsync(e => e.ExternalId == eventId && e.Project.ExternalId == projectId, ct);
        if (ev is null) return EventNotFound(projectId, eventId);
        if (ev.CanceledAt is not null) return TypedResults.NoContent(); // already canceled: no second notice

        var now = time.GetUtcNow().TruncateToMilliseconds();
        ev.CanceledAt = now;
        ev.UpdatedAt = now;
        ev.Sequence++;
        var messages = new EventMessages(db, outbox, tenant.CompanyName, tenant.SenderNumber, now, tenant.Language);
        await messages.CancelRemindersAsync(ev, ct);
        if (notify == true) messages.Notify(ev, language => (EventTexts.Canceled(ev, tenant.CompanyName, language), EventTexts.CanceledSubject(ev, language)), canceled: true);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<CalendarEventResponse>, ProblemHttpResult>> Get(
        string projectId, string eventId, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        var ev = await Load(db).AsNoTracking().ForCompany(tenant.CompanyId)
            .FirstOrDefaultAsync(e => e.ExternalId == eventId && e.Project.ExternalId == projectId, ct);
        return ev is null
            ? EventNotFound(projectId, eventId)
            : TypedResults.Ok(await CalendarEventResponse.OfAsync(db, ev, projectId, warnings: null, ct));
    }

    static async Task<Results<Ok<List<CalendarEventResponse>>, ProblemHttpResult>> Upcoming(
        string externalId, CasewireDb db, Tenant tenant, TimeProvider time, CancellationToken ct)
    {
        var project = await db.Projects.AsNoTracking().ForCompany(tenant.CompanyId).FirstOrDefaultAsync(p => p.ExternalId == externalId, ct);
        if (project is null) return Problems.NotFound("project", externalId);
        var now = time.GetUtcNow();
        var events = await Load(db).AsNoTracking()
            .Where(e => e.ProjectId == project.Id && e.CanceledAt == null && e.EndAt >= now)
            .OrderBy(e => e.StartAt).Take(100).ToListAsync(ct);
        return TypedResults.Ok(await CalendarEventResponse.OfAsync(db, events, externalId, ct));
    }

    static ProblemHttpResult EventNotFound(string projectId, string eventId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Not found",
        detail: $"No calendar event '{FieldErrors.Shorten(eventId)}' exists in project '{FieldErrors.Shorten(projectId)}' of this company.");

    /// <summary>An event with its attendees, members and reminders: what its response and its messages need.</summary>
    static IQueryable<CalendarEvent> Load(CasewireDb db) => db.CalendarEvents
        .Include(e => e.Attendees).ThenInclude(a => a.Contact)
        .Include(e => e.Members).ThenInclude(m => m.TeamMember)
        .Include(e => e.Reminders)
        .AsSplitQuery();
}
