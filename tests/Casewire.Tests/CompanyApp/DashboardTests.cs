using System.Net;
using System.Text.RegularExpressions;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.Tests.CompanyApp;

/// <summary>The dashboard (SPEC §8): what goes out next, deliveries per day, failures, unread replies, unmapped phases.</summary>
public sealed class DashboardTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    async Task<(CasewireApp.Tenant Tenant, int ProjectId)> FirmAsync()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("ann", phone: "+15551234567", firstName: "Ann", lastName: "Lee");
        await tenant.ContactAsync("bob", email: "bob.stone@example.com", firstName: "Bob", lastName: "Stone");
        return (tenant, await tenant.ProjectAsync("case-1", ["ann", "bob"]));
    }

    Task SendAsync(CasewireApp.Tenant tenant, string text) =>
        tenant.Http.PostJsonAsync("/partner/v2/send-message", new { projectId = "case-1", text }).ContinueWith(t => t.Result.ExpectAsync(HttpStatusCode.Accepted)).Unwrap();

    string NewYorkTime(TimeSpan fromNow) => Instant.FromDateTimeOffset(app.Time.GetUtcNow() + fromNow).InZone(NewYork)
        .ToString("uuuu'-'MM'-'dd' 'HH':'mm':'ss", System.Globalization.CultureInfo.InvariantCulture);

    Task ReplyAsync(int companyId, int projectId, string text, bool read = false) => app.WithDbAsync(async db =>
    {
        db.Messages.Add(new Message
        {
            CompanyId = companyId, ProjectId = projectId, Direction = MessageDirection.Inbound, Kind = MessageKind.Reply, AuthorName = "Ann Lee",
            Text = text, FromAddress = "+15551234567", CreatedAt = app.Time.GetUtcNow(), ReadAt = read ? app.Time.GetUtcNow() : null,
        });
        await db.SaveChangesAsync();
    });

    /// <summary>A company with one of each: a text due now, a reminder due later, two unread replies and one read, an unmapped phase.</summary>
    async Task<(CasewireApp.Tenant Tenant, int ProjectId)> BusyFirmAsync()
    {
        var (tenant, projectId) = await FirmAsync();
        await SendAsync(tenant, "We filed your motion."); // SMS to Ann and email to Bob, due now
        await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", $$"""
            { "id": "ev-1", "projectId": "case-1", "title": "Deposition", "attendees": ["ann"], "startTime": "{{NewYorkTime(TimeSpan.FromDays(3))}}",
              "timezone": "America/New_York", "reminders": [{"unit": "day", "amount": 1}], "notify": false }
            """)).ExpectAsync(HttpStatusCode.Created);
        await ReplyAsync(tenant.CompanyId, projectId, "Is Friday still on?");
        await ReplyAsync(tenant.CompanyId, projectId, "Call me back please");
        await ReplyAsync(tenant.CompanyId, projectId, "Old, already read", read: true);
        await app.WithDbAsync(async db =>
        {
            foreach (var type in await db.ProjectTypes.Where(t => t.CompanyId == tenant.CompanyId).ToListAsync()) type.IsLocked = true;
            await db.SaveChangesAsync();
        });
        await tenant.ProjectAsync("case-2", ["ann"], phase: "Appeal");
        return (tenant, projectId);
    }

    [Fact]
    public async Task TheCountsSeparateQueuedFromScheduledAndCountUnreadRepliesAndUnmappedPhases()
    {
        var (tenant, projectId) = await BusyFirmAsync();
        await BusyFirmAsync(); // another firm's traffic counts for that firm only
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower);

        var html = await staff.GetPageAsync("/");

        Assert.Equal(2, PageHtml.Stat(html, "queued"));
        Assert.Equal(1, PageHtml.Stat(html, "scheduled"));
        Assert.Equal(2, PageHtml.Stat(html, "unread"));
        Assert.Equal(0, PageHtml.Stat(html, "failures"));
        Assert.Contains("Is Friday still on?", html);
        Assert.Contains("Call me back please", html);
        Assert.DoesNotContain("Old, already read", html);
        Assert.Contains($"<a href=\"/projects/{projectId}\">Is Friday still on?</a>", html);
        Assert.Contains("<strong>Appeal</strong>", html);
        Assert.Contains("href=\"/project-types\"", html);
        var reminders = Regex.Match(html, "data-list=\"reminders\">(.*?)</ul>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("Ann Lee", reminders);
        Assert.Contains("Deposition", reminders);

        // Once the dispatcher has sent what was due, nothing is queued; the reminder still waits.
        await app.DispatchAsync();
        var after = await staff.GetPageAsync("/");
        Assert.Equal(0, PageHtml.Stat(after, "queued"));
        Assert.Equal(1, PageHtml.Stat(after, "scheduled"));
    }

    [Fact]
    public async Task AnUnmappedNameThatAPhaseMapsSinceIsNoLongerListed()
    {
        var (tenant, _) = await BusyFirmAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        await app.WithDbAsync(async db =>
        {
            var unmapped = await db.UnmappedPhaseNames.SingleAsync(u => db.ProjectTypes.Any(t => t.Id == u.ProjectTypeId && t.CompanyId == tenant.CompanyId));
            var phase = await db.Phases.FirstAsync(p => p.ProjectTypeId == unmapped.ProjectTypeId);
            db.PhaseTriggers.Add(new PhaseTrigger { PhaseId = phase.Id, ProjectTypeId = unmapped.ProjectTypeId, Name = "Appeal", NormalizedName = "APPEAL" });
            await db.SaveChangesAsync();
        });

        Assert.DoesNotContain("<strong>Appeal</strong>", await staff.GetPageAsync("/"));
    }

    static int Bar(string html, LocalDate day, string kind)
    {
        var iso = day.ToString("uuuu'-'MM'-'dd", System.Globalization.CultureInfo.InvariantCulture);
        var match = Regex.Match(html, $"data-day=\"{iso}\" data-kind=\"{kind}\" data-count=\"(\\d+)\"");
        Assert.True(match.Success, $"no {kind} bar for {iso}");
        return int.Parse(match.Groups[1].Value);
    }

    [Fact]
    public async Task TheChartCountsEachDeliveryOnTheCompanyDayItWentOutByWhereItStandsNow()
    {
        var (tenant, projectId) = await FirmAsync();
        await SendAsync(tenant, "Day one");
        await app.DispatchAsync();
        var firstDay = Instant.FromDateTimeOffset(app.Time.GetUtcNow()).InZone(NewYork).Date;
        app.Time.Advance(TimeSpan.FromDays(1));
        await SendAsync(tenant, "Day two");
        await app.DispatchAsync();
        var now = app.Time.GetUtcNow();
        await app.WithDbAsync(async db =>
        {
            var items = await db.OutboxItems.Where(o => o.CompanyId == tenant.CompanyId).OrderBy(o => o.Id).ToListAsync();
            // Day one's text failed at the carrier after it was sent; day two's email was delivered.
            var (dayOneSms, dayTwoEmail) = (items.Single(o => o.Body == "Day one" && o.Channel == Channel.Sms), items.Single(o => o.Body == "Day two" && o.Channel == Channel.Email));
            (dayOneSms.Status, dayOneSms.ErrorCode, dayOneSms.ErrorMessage) = (DeliveryStatus.Failed, "30006", "Landline or unreachable carrier.");
            (dayTwoEmail.Status, dayTwoEmail.DeliveredAt) = (DeliveryStatus.Delivered, now);
            // And one that never left: its last attempt failed half an hour ago.
            var never = db.OutboxItems.Add(new OutboxItem
            {
                CompanyId = tenant.CompanyId, Channel = Channel.Sms, To = "+15550001111", Body = "Never left", Status = DeliveryStatus.Failed,
                DueAt = now - TimeSpan.FromHours(1), AvailableAt = now - TimeSpan.FromHours(1), CreatedAt = now - TimeSpan.FromHours(1),
                Attempts = 1, ErrorCode = "21211", ErrorMessage = "Invalid 'To' number.",
            }).Entity;
            await db.SaveChangesAsync();
            db.DeliveryAttempts.Add(new DeliveryAttempt
            {
                OutboxItemId = never.Id, Number = 1, Instance = "test", StartedAt = now - TimeSpan.FromMinutes(30),
                FinishedAt = now - TimeSpan.FromMinutes(30), Outcome = AttemptOutcome.PermanentFailure, ErrorCode = "21211",
            });
            await db.SaveChangesAsync();
        });
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var html = await staff.GetPageAsync("/");

        var secondDay = firstDay.PlusDays(1);
        Assert.Equal((1, 0, 1), (Bar(html, firstDay, "sent"), Bar(html, firstDay, "delivered"), Bar(html, firstDay, "failed")));
        Assert.Equal((1, 1, 1), (Bar(html, secondDay, "sent"), Bar(html, secondDay, "delivered"), Bar(html, secondDay, "failed")));
        var days = PageHtml.Values(html, "data-day-label");
        Assert.Equal(14, days.Count);
        Assert.Equal(secondDay.ToString("uuuu'-'MM'-'dd", System.Globalization.CultureInfo.InvariantCulture), days[^1]);
        Assert.Contains("2 sent, 1 delivered, 2 failed in the last 14 days.", html);
        // The failures of the week, with the case they belong to.
        Assert.Equal(2, PageHtml.Stat(html, "failures"));
        var failures = Regex.Match(html, "data-list=\"failures\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("30006", failures);
        Assert.Contains("21211", failures);
        Assert.Contains($"href=\"/projects/{projectId}\"", failures);
    }
}
