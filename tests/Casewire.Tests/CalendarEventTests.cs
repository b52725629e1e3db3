using System.Net;
using System.Text.Json.Nodes;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>SPEC §5: calendar events, their reminders at the right local time, notices and cancellation.</summary>
public sealed class CalendarEventTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    /// <summary>
    /// The published example with its mangled addresses read as the attendee's and the team members'
    /// real ones, its missing comma mended, its trailing comma kept and its reminder under the published name.
    /// </summary>
    const string PublishedExample = """
        { "id": "XYZ123", "projectId": "1234", "title": "Jane Smith Desposition", "attendees": ["jane.smith@example.com"],
          "teamMembers": ["sam.park@example.com"], "otherMembers": ["lee.chan@example.com"],
          "startTime": "2024-01-01 08:00:00", "endTime": "2024-01-01 08:30:00", "timezone": "EST",
          "location": "1234 courtroom road, new york", "description": "this is a description",
          "reminder": [{"unit": "day", "amount": "1"}], "notify": true, }
        """;

    async Task<CasewireApp.Tenant> FirmAsync()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("jane", phone: "+15551234567", email: "jane.smith@example.com", firstName: "Jane", lastName: "Smith");
        await tenant.TeamMemberAsync("32435", "sam.park@example.com", "Sam", "Park");
        await tenant.TeamMemberAsync("777", "lee.chan@example.com", "Lee", "Chan");
        await tenant.ProjectAsync("1234", ["jane"]);
        return tenant;
    }

    static string Event(string id, string start, string zone = "America/New_York", string reminders = """[{"unit": "day", "amount": 1}]""",
        string attendees = """["jane"]""", string teamMembers = """["32435"]""", string location = "Courtroom 4", bool notify = false) => $$"""
        { "id": "{{id}}", "projectId": "1234", "title": "Hearing", "attendees": {{attendees}}, "teamMembers": {{teamMembers}},
          "startTime": "{{start}}", "timezone": "{{zone}}", "location": "{{location}}", "reminders": {{reminders}}, "notify": {{(notify ? "true" : "false")}} }
        """;

    /// <summary>A New York wall-clock time relative to the test clock (which other tests of the class move on).</summary>
    string NewYork(TimeSpan fromNow) =>
        NodaTime.Instant.FromDateTimeOffset(app.Time.GetUtcNow() + fromNow).InZone(NodaTime.DateTimeZoneProviders.Tzdb["America/New_York"])
            .ToString("uuuu'-'MM'-'dd' 'HH':'mm':'ss", System.Globalization.CultureInfo.InvariantCulture);

    List<JsonObject> LinesFor(int messageId) => app.SinkLines().Where(l => (int?)l["messageId"] == messageId).ToList();

    Task<List<OutboxItem>> DeliveriesOfEventAsync(CasewireApp.Tenant tenant, string eventId, MessageKind kind) => app.WithDbAsync(db =>
        db.OutboxItems.AsNoTracking().Include(o => o.Message)
            .Where(o => o.CompanyId == tenant.CompanyId && o.Message!.Kind == kind
                        && db.CalendarEvents.Any(e => e.ExternalId == eventId && e.CompanyId == tenant.CompanyId && e.ProjectId == o.Message.ProjectId))
            .OrderBy(o => o.Id).ToListAsync());

    [Fact]
    public async Task ThePublishedExampleIsAcceptedInNewYorkTimeAndItsPastReminderIsSkipped()
    {
        var tenant = await FirmAsync();

        var body = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", PublishedExample)).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("2024-01-01T08:00:00-05:00", (string?)body["startTime"]);
        Assert.Equal("2024-01-01T08:30:00-05:00", (string?)body["endTime"]);
        Assert.Equal("America/New_York", (string?)body["timezone"]);
        Assert.Equal("jane", (string?)body["attendees"]![0]!["externalId"]);
        Assert.Equal("32435", (string?)body["teamMembers"]![0]!["externalId"]);
        Assert.Equal("777", (string?)body["otherMembers"]![0]!["externalId"]);
        var reminder = body["reminders"]![0]!;
        Assert.Equal("skipped", (string?)reminder["status"]);
        Assert.Equal("past-due", (string?)reminder["reason"]);
        Assert.Empty(body["warnings"]!.AsArray());
    }

    [Fact]
    public async Task AFutureReminderIsSentOnceExactlyOneDayBeforeToTheAttendeeBySmsAndTheTeamMemberByEmail()
    {
        var tenant = await FirmAsync();
        // 9:30 in New York, a week from the (shared, winter) test clock's date.
        var zone = NodaTime.DateTimeZoneProviders.Tzdb["America/New_York"];
        var day = NodaTime.Instant.FromDateTimeOffset(app.Time.GetUtcNow()).InZone(zone).Date.PlusDays(7);
        var start = day.At(new NodaTime.LocalTime(9, 30)).InZoneLeniently(zone).ToDateTimeOffset();
        var body = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-1", $"{day:yyyy'-'MM'-'dd} 09:30:00")))
            .ExpectAsync(HttpStatusCode.Created);
        var sendAt = DateTimeOffset.Parse((string)body["reminders"]![0]!["sendAt"]!);

        app.Time.Advance(sendAt - app.Time.GetUtcNow() - TimeSpan.FromMilliseconds(1));
        await app.DispatchAsync();
        var early = (await DeliveriesOfEventAsync(tenant, "ev-1", MessageKind.Reminder)).Count(d => d.Status == DeliveryStatus.Sent);
        app.Time.Advance(TimeSpan.FromMilliseconds(1));
        await app.DispatchAsync();
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.DispatchAsync();

        Assert.Equal(start - TimeSpan.FromDays(1), sendAt); // 9:30 EST the day before
        Assert.Equal(0, early);
        var deliveries = await DeliveriesOfEventAsync(tenant, "ev-1", MessageKind.Reminder);
        Assert.Equal([(Channel.Sms, "+15551234567"), (Channel.Email, "sam.park@example.com")], deliveries.Select(d => (d.Channel, d.To)));
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        Assert.All(deliveries, d => Assert.Equal(sendAt, d.SentAt));
        var lines = LinesFor(deliveries[0].MessageId!.Value);
        Assert.Equal(2, lines.Count);
        var when = day.ToDateTimeUnspecified().ToString("ddd, MMM d", System.Globalization.CultureInfo.InvariantCulture) + " at 9:30 AM EST";
        Assert.All(lines, l => Assert.Contains(when, (string?)l["text"]));
        Assert.All(lines, l => Assert.Contains("Courtroom 4", (string?)l["text"]));
        var get = await (await tenant.Http.GetAsync("/partner/v2/project/1234/calendar-event/ev-1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("sent", (string?)get["reminders"]![0]!["status"]);
    }

    [Fact]
    public async Task AnEmailReminderHasASubjectAndAnIcsWithAUidStablePerEvent()
    {
        var tenant = await FirmAsync();
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-ics", "2026-02-20 09:30:00",
            reminders: """[{"unit": "day", "amount": 2}, {"unit": "hour", "amount": 1}]"""));

        var emails = (await DeliveriesOfEventAsync(tenant, "ev-ics", MessageKind.Reminder)).Where(d => d.Channel == Channel.Email).ToList();

        Assert.Equal(2, emails.Count);
        Assert.All(emails, e => Assert.StartsWith("Reminder: Hearing, Fri, Feb 20 at 9:30 AM EST", e.Subject));
        var uids = emails.Select(e => e.CalendarIcs!.Split("\r\n").Single(l => l.StartsWith("UID:"))).Distinct().ToList();
        Assert.Single(uids);
        Assert.Contains("BEGIN:VEVENT", emails[0].CalendarIcs);
        Assert.Contains("DTSTART:20260220T143000Z", emails[0].CalendarIcs);
        Assert.Contains("SUMMARY:Hearing", emails[0].CalendarIcs);
        Assert.Contains("LOCATION:Courtroom 4", emails[0].CalendarIcs);
    }

    [Theory]
    [InlineData("2026-07-01 09:00:00", "EST", "2026-07-01T09:00:00-04:00", "America/New_York")]
    [InlineData("2026-07-01 09:00:00", "America/Phoenix", "2026-07-01T09:00:00-07:00", "America/Phoenix")]
    [InlineData("2026-07-01 09:00:00", "Eastern Standard Time", "2026-07-01T09:00:00-04:00", "America/New_York")]
    [InlineData("2026-07-01 09:00:00", "+05:30", "2026-07-01T09:00:00+05:30", "UTC+05:30")]
    [InlineData("2026-03-08 02:30:00", "America/New_York", "2026-03-08T03:30:00-04:00", "America/New_York")]
    [InlineData("2026-11-01 01:30:00", "America/New_York", "2026-11-01T01:30:00-04:00", "America/New_York")]
    [InlineData("2026-07-01T13:00:00Z", "America/Chicago", "2026-07-01T08:00:00-05:00", "America/Chicago")]
    public async Task StartTimesAreReadInTheirZoneAndEchoedWithTheResolvedZone(string start, string zone, string expected, string resolved)
    {
        var tenant = await FirmAsync();

        var body = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-tz", start, zone))).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(expected, (string?)body["startTime"]);
        Assert.Equal(resolved, (string?)body["timezone"]);
    }

    [Fact]
    public async Task AnInstantWithAnOffsetNeedsNoTimezone()
    {
        var tenant = await FirmAsync();

        var body = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event",
            """{ "id": "ev-off", "projectId": "1234", "title": "Call", "startTime": "2026-07-01T09:00:00-04:00" }""")).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("2026-07-01T09:00:00-04:00", (string?)body["startTime"]);
        Assert.Equal("2026-07-01T09:30:00-04:00", (string?)body["endTime"]);
    }

    [Fact]
    public async Task AOneDayReminderAcrossADstChangeIsDueAtTheSameWallTimeTheDayBefore()
    {
        var tenant = await FirmAsync();

        // Sunday 8 March 2026 is the spring-forward day in New York; the hearing is Monday at 9:00 EDT.
        var body = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-dst", "2026-03-08 09:00:00")))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("Sat, Mar 7 at 9:00 AM EST", (string?)body["reminders"]![0]!["sendAtLocal"]);
        Assert.Equal(new DateTimeOffset(2026, 3, 7, 14, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)body["reminders"]![0]!["sendAt"]!));
    }

    [Fact]
    public async Task AnUnknownZoneIsA400ListingAcceptedForms()
    {
        var tenant = await FirmAsync();

        var problem = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-bad", "2026-07-01 09:00:00", "Mars/Olympus")))
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("America/New_York", Assert.Single(problem.ErrorsFor("timezone")));
    }

    [Theory]
    [InlineData("""[{"unit": "week", "amount": 1}]""", "reminders")]
    [InlineData("""[{"unit": "day", "amount": 0}]""", "reminders")]
    [InlineData("""[{"unit": "day", "amount": -1}]""", "reminders")]
    [InlineData("""[{"unit": "day", "amount": "abc"}]""", "reminders")]
    [InlineData("""[{"unit": "day", "amount": 1.5}]""", "reminders")]
    [InlineData("""[{"unit": "day", "amount": 366}]""", "reminders")]
    [InlineData("""[1]""", "reminders")]
    [InlineData("""[{"unit":"day","amount":1},{"unit":"day","amount":2},{"unit":"day","amount":3},{"unit":"day","amount":4},{"unit":"day","amount":5},{"unit":"day","amount":6},{"unit":"day","amount":7},{"unit":"day","amount":8},{"unit":"day","amount":9},{"unit":"day","amount":10},{"unit":"day","amount":11}]""", "reminders")]
    public async Task BadRemindersAreA400NamingTheField(string reminders, string field)
    {
        var tenant = await FirmAsync();

        var problem = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-r", "2026-07-01 09:00:00", reminders: reminders)))
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.ErrorsFor(field));
        Assert.Equal(0, await app.WithDbAsync(db => db.CalendarEvents.CountAsync(e => e.CompanyId == tenant.CompanyId)));
    }

    [Theory]
    [InlineData("""{ "id": "e", "projectId": "1234", "title": "T", "startTime": "2026-07-01 09:00", "endTime": "2026-07-01 08:00", "timezone": "ET" }""", "endTime")]
    [InlineData("""{ "id": "e", "projectId": "1234", "title": "T", "startTime": "next tuesday", "timezone": "ET" }""", "startTime")]
    [InlineData("""{ "id": "e", "projectId": "1234", "title": "T", "startTime": "2026-07-01 09:00" }""", "timezone")]
    [InlineData("""{ "id": "e", "projectId": "1234", "startTime": "2026-07-01 09:00", "timezone": "ET" }""", "title")]
    [InlineData("""{ "projectId": "1234", "title": "T", "startTime": "2026-07-01 09:00", "timezone": "ET" }""", "id")]
    [InlineData("""{ "id": "e", "projectId": "1234", "title": "T", "startTime": "2026-07-01 09:00", "timezone": "ET", "attendees": [true] }""", "attendees")]
    public async Task BadEventFieldsAreA400NamingTheField(string body, string field)
    {
        var tenant = await FirmAsync();

        var problem = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", body)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.ErrorsFor(field));
    }

    [Fact]
    public async Task AnUnknownProjectIsA404()
    {
        var tenant = await FirmAsync();

        var response = await tenant.Http.PostJsonAsync("/partner/v2/calendar-event",
            """{ "id": "e", "projectId": "nope", "title": "T", "startTime": "2026-07-01 09:00", "timezone": "ET" }""");

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UnresolvedAttendeesAndMembersAreWarningsNotErrors()
    {
        var tenant = await FirmAsync();

        var body = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-w", "2026-07-01 09:00:00",
            attendees: """["jane", "ghost@example.com"]""", teamMembers: """["nobody"]"""))).ExpectAsync(HttpStatusCode.Created);

        var warnings = body["warnings"]!.AsArray().Select(w => (string)w!).ToList();
        Assert.Contains(warnings, w => w.Contains("ghost@example.com"));
        Assert.Contains(warnings, w => w.Contains("nobody"));
        Assert.Single(body["attendees"]!.AsArray());
    }

    [Fact]
    public async Task AttendeesResolveByExternalIdEmailPhoneOrId()
    {
        var tenant = await FirmAsync();
        var byPhone = await tenant.ContactAsync("p", phone: "+15550001111");
        var byId = await tenant.ContactAsync("i", email: "i@example.com");
        await tenant.ContactAsync("e", email: "e@example.com");

        var body = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-refs", "2026-07-01 09:00:00",
            attendees: $$"""["jane", "e@example.com", "(555) 000-1111", {{byId}}]"""))).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(["jane", "e", "p", "i"], body["attendees"]!.AsArray().Select(a => (string)a!["externalId"]!));
        Assert.True(byPhone > 0);
    }

    [Fact]
    public async Task AnAttendeeTextIsAnExternalIdBeforeAnEmailBeforeAPhoneAndSeveralWithOneEmailOrPhoneGiveTheOldest()
    {
        var tenant = await FirmAsync();
        await tenant.ContactAsync("older", email: "shared@example.com");
        await tenant.ContactAsync("newer", email: "shared@example.com");
        await tenant.ContactAsync("p-older", phone: "+15550003333");
        await tenant.ContactAsync("p-newer", phone: "+15550003333");
        await tenant.ContactAsync("x@example.com", email: "other@example.com"); // an externalId that reads as an email
        await tenant.ContactAsync("email-owner", email: "x@example.com");
        await tenant.ContactAsync("+15550004444", email: "y@example.com"); // an externalId that reads as a phone
        await tenant.ContactAsync("phone-owner", phone: "+15550004444");

        var body = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-precedence", "2026-07-01 09:00:00",
            attendees: """["shared@example.com", "x@example.com", "(555) 000-3333", "+15550004444", "older", {"email": "shared@example.com"}]""")))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(["older", "x@example.com", "p-older", "+15550004444"], body["attendees"]!.AsArray().Select(a => (string)a!["externalId"]!));
        Assert.Empty(body["warnings"]!.AsArray());
    }

    [Fact]
    public async Task AMemberIsFoundByCmsUserIdBeforeEmailTheOldestOfOneEmailAndTheUnresolvedAreWarnedInTheOrderSent()
    {
        var tenant = await FirmAsync(); // 32435 is sam.park@example.com, 777 is lee.chan@example.com
        await tenant.TeamMemberAsync("sam-newer", "sam.park@example.com", "Sam", "Newer");
        await tenant.TeamMemberAsync("lee.chan@example.com", "someone@example.com", "Lee", "ById"); // a CMS user id that reads as an email

        var body = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", """
            { "id": "ev-members", "projectId": "1234", "title": "Hearing", "startTime": "2026-07-01 09:00:00", "timezone": "America/New_York",
              "attendees": ["ghost-contact"], "teamMembers": ["sam.park@example.com", "nobody@example.com", "lee.chan@example.com"],
              "otherMembers": [777, "ghost-member", "32435"] }
            """)).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(["32435", "lee.chan@example.com"], body["teamMembers"]!.AsArray().Select(m => (string)m!["externalId"]!));
        Assert.Equal(["777"], body["otherMembers"]!.AsArray().Select(m => (string)m!["externalId"]!)); // 32435 is assigned already
        var warnings = body["warnings"]!.AsArray().Select(w => (string)w!).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.StartsWith("attendees: 'ghost-contact'", warnings[0]);
        Assert.StartsWith("teamMembers: 'nobody@example.com'", warnings[1]);
        Assert.StartsWith("otherMembers: 'ghost-member'", warnings[2]);
    }

    [Fact]
    public async Task ResendingTheSameEventChangesNothingAndSendsNothing()
    {
        var tenant = await FirmAsync();
        var first = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-same", "2026-03-10 09:00:00", notify: true)))
            .ExpectAsync(HttpStatusCode.Created);
        var messagesBefore = await app.WithDbAsync(db => db.OutboxItems.CountAsync(o => o.CompanyId == tenant.CompanyId));

        var second = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-same", "2026-03-10 09:00:00", notify: true)))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(first.Compact(), second.Compact());
        Assert.Equal(messagesBefore, await app.WithDbAsync(db => db.OutboxItems.CountAsync(o => o.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task NotifyOnCreateTellsTheAttendeeNow()
    {
        var tenant = await FirmAsync();

        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-n", "2026-03-10 09:00:00", notify: true, teamMembers: "[]"));
        await app.DispatchAsync();

        var notice = Assert.Single(await DeliveriesOfEventAsync(tenant, "ev-n", MessageKind.Notice));
        Assert.Equal(DeliveryStatus.Sent, notice.Status);
        Assert.Equal("+15551234567", notice.To);
        Assert.Contains("Tue, Mar 10 at 9:00 AM EDT", notice.Body);
    }

    [Fact]
    public async Task ARescheduleMovesPendingRemindersAndNotifiesWithOldAndNewTime()
    {
        var tenant = await FirmAsync();
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-move", "2026-03-10 09:00:00"));

        var moved = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-move", "2026-03-12 14:00:00", notify: true)))
            .ExpectAsync(HttpStatusCode.OK);
        await app.DispatchAsync();

        var reminder = Assert.Single(moved["reminders"]!.AsArray())!;
        Assert.Equal("Wed, Mar 11 at 2:00 PM EDT", (string?)reminder["sendAtLocal"]);
        var reminders = await DeliveriesOfEventAsync(tenant, "ev-move", MessageKind.Reminder);
        Assert.Equal(2, reminders.Count(d => d.Status == DeliveryStatus.Canceled));
        Assert.Equal(2, reminders.Count(d => d.Status == DeliveryStatus.Pending));
        var notice = Assert.Single(await DeliveriesOfEventAsync(tenant, "ev-move", MessageKind.Notice));
        Assert.Contains("from Tue, Mar 10 at 9:00 AM EDT to Thu, Mar 12 at 2:00 PM EDT", notice.Body);
    }

    [Fact]
    public async Task AnUpdateThatChangesNeitherTimeNorPlaceSendsNoNoticeEvenWithNotify()
    {
        var tenant = await FirmAsync();
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-title", "2026-03-10 09:00:00"));

        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event",
            Event("ev-title", "2026-03-10 09:00:00", notify: true).Replace("\"Hearing\"", "\"Hearing (updated)\""));

        Assert.Empty(await DeliveriesOfEventAsync(tenant, "ev-title", MessageKind.Notice));
    }

    [Fact]
    public async Task ASentReminderIsNotSentAgainWhenTheStartIsUnchanged()
    {
        var tenant = await FirmAsync();
        var start = NewYork(TimeSpan.FromDays(2));
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-sent", start, teamMembers: "[]"));
        app.Time.Advance(TimeSpan.FromDays(1.5)); // past the reminder's time, a day before the start
        await app.DispatchAsync();

        var again = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event",
            Event("ev-sent", start, teamMembers: "[]", location: "Courtroom 9"))).ExpectAsync(HttpStatusCode.OK);
        await app.DispatchAsync();

        var reminders = await DeliveriesOfEventAsync(tenant, "ev-sent", MessageKind.Reminder);
        Assert.Single(reminders, d => d.Status == DeliveryStatus.Sent);
        Assert.DoesNotContain(reminders, d => d.Status == DeliveryStatus.Pending);
        Assert.Equal("sent", (string?)again["reminders"]![0]!["status"]);
    }

    [Fact]
    public async Task AReminderOverdueAfterAnOutageIsSentIfTheEventHasNotStartedElseExpired()
    {
        var tenant = await FirmAsync();
        var local = NewYork(TimeSpan.FromHours(30));
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-late", local, teamMembers: "[]",
            reminders: """[{"unit": "day", "amount": 1}, {"unit": "hour", "amount": 2}]"""));

        app.Time.Advance(TimeSpan.FromHours(29)); // down from before the 1-day reminder until after the 2-hour one
        await app.DispatchAsync();
        app.Time.Advance(TimeSpan.FromHours(2)); // the event has started
        await app.DispatchAsync();

        var body = await (await tenant.Http.GetAsync("/partner/v2/project/1234/calendar-event/ev-late")).ExpectAsync(HttpStatusCode.OK);
        var statuses = body["reminders"]!.AsArray().Select(r => ((int)r!["amount"]!, (string)r["unit"]!, (string)r["status"]!)).ToList();
        Assert.Contains((1, "day", "sent"), statuses);
        Assert.Contains((2, "hour", "sent"), statuses);
    }

    [Fact]
    public async Task AReminderFallingDueAfterTheStartIsExpiredNotSent()
    {
        var tenant = await FirmAsync();
        var local = NewYork(TimeSpan.FromHours(3));
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-exp", local, teamMembers: "[]",
            reminders: """[{"unit": "hour", "amount": 1}]"""));

        app.Time.Advance(TimeSpan.FromHours(4)); // Casewire was down from now until after the start
        await app.DispatchAsync();

        var body = await (await tenant.Http.GetAsync("/partner/v2/project/1234/calendar-event/ev-exp")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("expired", (string?)body["reminders"]![0]!["status"]);
        Assert.DoesNotContain(await DeliveriesOfEventAsync(tenant, "ev-exp", MessageKind.Reminder), d => d.Status == DeliveryStatus.Sent);
    }

    [Fact]
    public async Task DeleteCancelsTheEventAndItsRemindersAndNotifiesOnce()
    {
        var tenant = await FirmAsync();
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-del", "2026-03-10 09:00:00"));

        var first = await tenant.Http.DeleteAsync("/partner/v2/project/1234/calendar-event/ev-del?notify=true");
        var second = await tenant.Http.DeleteAsync("/partner/v2/project/1234/calendar-event/ev-del?notify=true");
        app.Time.Advance(TimeSpan.FromDays(10));
        await app.DispatchAsync();

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.DoesNotContain(await DeliveriesOfEventAsync(tenant, "ev-del", MessageKind.Reminder), d => d.Status == DeliveryStatus.Sent);
        var notice = Assert.Single(await DeliveriesOfEventAsync(tenant, "ev-del", MessageKind.Notice));
        Assert.Contains("has been canceled", notice.Body);
        var body = await (await tenant.Http.GetAsync("/partner/v2/project/1234/calendar-event/ev-del")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("canceled", (string?)body["status"]);
        Assert.Equal("canceled", (string?)body["reminders"]![0]!["status"]);
    }

    [Fact]
    public async Task ACancellationEmailCarriesMethodCancel()
    {
        var tenant = await FirmAsync();
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-cancel-ics", "2026-03-10 09:00:00",
            attendees: """[{"externalId": "mail-only"}]"""));
        await tenant.ContactAsync("mail-only", email: "m@example.com");
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-cancel-ics", "2026-03-10 09:00:00",
            attendees: """["mail-only"]"""));

        await tenant.Http.DeleteAsync("/partner/v2/project/1234/calendar-event/ev-cancel-ics?notify=true");

        var notice = Assert.Single(await DeliveriesOfEventAsync(tenant, "ev-cancel-ics", MessageKind.Notice));
        Assert.Equal(Channel.Email, notice.Channel);
        Assert.Contains("METHOD:CANCEL", notice.CalendarIcs);
        Assert.Contains("STATUS:CANCELLED", notice.CalendarIcs);
    }

    [Fact]
    public async Task DeleteOfAnUnknownEventOrOneOfAnotherProjectIs404()
    {
        var tenant = await FirmAsync();
        await tenant.ProjectAsync("other", ["jane"]);
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-p", "2026-03-10 09:00:00"));

        await (await tenant.Http.DeleteAsync("/partner/v2/project/other/calendar-event/ev-p")).ProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.Http.DeleteAsync("/partner/v2/project/1234/calendar-event/nope")).ProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.Http.DeleteAsync("/partner/v2/project/nope/calendar-event/ev-p")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PostingACanceledEventAgainReactivatesItAndPlansItsReminders()
    {
        var tenant = await FirmAsync();
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-back", "2026-03-10 09:00:00"));
        await tenant.Http.DeleteAsync("/partner/v2/project/1234/calendar-event/ev-back");

        var body = await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-back", "2026-03-10 09:00:00")))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("scheduled", (string?)body["status"]);
        Assert.Equal("scheduled", (string?)Assert.Single(body["reminders"]!.AsArray())!["status"]);
        Assert.Equal(2, (await DeliveriesOfEventAsync(tenant, "ev-back", MessageKind.Reminder)).Count(d => d.Status == DeliveryStatus.Pending));
    }

    [Fact]
    public async Task AnotherCompanyCannotSeeOrCancelTheEvent()
    {
        var tenant = await FirmAsync();
        var other = await FirmAsync();
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-t", "2026-03-10 09:00:00"));

        await (await other.Http.GetAsync("/partner/v2/project/1234/calendar-event/ev-t")).ProblemAsync(HttpStatusCode.NotFound);
        await (await other.Http.DeleteAsync("/partner/v2/project/1234/calendar-event/ev-t")).ProblemAsync(HttpStatusCode.NotFound);
        var mine = await (await tenant.Http.GetAsync("/partner/v2/project/1234/calendar-event/ev-t")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("scheduled", (string?)mine["status"]);
    }

    [Fact]
    public async Task UpcomingEventsOfAProjectAreListedSoonestFirst()
    {
        var tenant = await FirmAsync();
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("later", "2026-04-10 09:00:00"));
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("sooner", "2026-03-10 09:00:00"));
        await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("past", "2025-03-10 09:00:00"));

        var list = JsonNode.Parse(await (await tenant.Http.GetAsync("/partner/v2/projects/1234/calendar-events")).Content.ReadAsStringAsync())!.AsArray();

        Assert.Equal(["sooner", "later"], list.Select(e => (string)e!["id"]!));
    }

    [Fact]
    public async Task TwentyConcurrentFirstPostsOfOneEventCreateItOnceWithOneSetOfReminders()
    {
        var tenant = await FirmAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            tenant.Http.PostJsonAsync("/partner/v2/calendar-event", Event("ev-race", "2026-03-10 09:00:00"))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(2, (await DeliveriesOfEventAsync(tenant, "ev-race", MessageKind.Reminder)).Count(d => d.Status == DeliveryStatus.Pending));
    }

    [Fact]
    public async Task AnIdempotencyKeyReplaysTheFirstResponseAndPlansNothingTwice()
    {
        var tenant = await FirmAsync();
        HttpRequestMessage Request() => new(HttpMethod.Post, "/partner/v2/calendar-event")
        {
            Content = new StringContent(Event("ev-key", "2026-03-10 09:00:00", notify: true), System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", "cal-1" } },
        };

        var first = await tenant.Http.SendAsync(Request());
        var second = await tenant.Http.SendAsync(Request());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Single(await DeliveriesOfEventAsync(tenant, "ev-key", MessageKind.Notice));
    }
}
