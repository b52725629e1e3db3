using System.Globalization;
using System.Net;
using Casewire.BrowserTests.Infrastructure;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.BrowserTests;

/// <summary>
/// The dashboard in a real browser: six days of deliveries made by moving the clock and dispatching, drawn as the SVG
/// chart, and three months of survey answers drawn as the NPS card; the screenshot the README shows (docs/company-app.png) is taken here.
/// </summary>
public sealed class DashboardBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    // Messages sent to the case on each of six days; each reaches Ann by text and Bob by email.
    static readonly int[] SentPerDay = [2, 1, 3, 2, 4, 3];

    // Survey answers (who, score, days ago, comment); null: asked, not answered.
    static readonly (string Who, int? Score, int DaysAgo, string? Comment)[] Answers =
    [
        ("ann", 10, 3, "Sam was great."), ("bob", 9, 12, null), ("cara", 3, 2, "Nobody returned my calls for two weeks."), ("ann", 8, 30, null),
        ("bob", 10, 41, null), ("cara", 9, 55, null), ("ann", 6, 70, null), ("bob", 10, 84, null), ("cara", null, 5, null),
    ];

    [Fact]
    public async Task TheChartShowsTheCountsOfTheLastDaysAndTheDashboardIsCaptured()
    {
        var tenant = await app.NewTenantAsync();
        await app.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            company.Name = "Reyes & Park LLP";
            await db.SaveChangesAsync();
        });
        await tenant.ContactAsync("ann", phone: "+15551234567", firstName: "Ann", lastName: "Lee");
        await tenant.ContactAsync("bob", email: "bob.stone@example.com", firstName: "Bob", lastName: "Stone");
        await tenant.ContactAsync("cara", phone: "+15557654321", firstName: "Cara", lastName: "Diaz");
        var projectId = await tenant.ProjectAsync("2026-PI-014", ["ann", "bob"], phase: "Treatment");
        var otherId = await tenant.ProjectAsync("2026-EST-003", ["cara"], phase: "Intake", type: "Estate");

        var days = new List<LocalDate>();
        for (var d = 0; d < SentPerDay.Length; d++)
        {
            if (d > 0) app.Time.Advance(TimeSpan.FromDays(1));
            days.Add(Instant.FromDateTimeOffset(app.Time.GetUtcNow()).InZone(NewYork).Date);
            for (var i = 0; i < SentPerDay[d]; i++)
                await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", new { projectId = "2026-PI-014", text = $"Update {d}.{i} on your case." }))
                    .ExpectAsync(HttpStatusCode.Accepted);
            await app.DispatchAsync();
        }
        var today = days[^1];
        // Carrier receipts for the texts of the days before today; one of the fourth day's texts failed at the carrier.
        await app.WithDbAsync(async db =>
        {
            var texts = await db.OutboxItems.Where(o => o.CompanyId == tenant.CompanyId && o.Channel == Channel.Sms).OrderBy(o => o.Id).ToListAsync();
            var failedOne = false;
            foreach (var text in texts.Where(t => Date(t.SentAt!.Value) < today))
            {
                if (!failedOne && Date(text.SentAt!.Value) == days[3])
                {
                    (text.Status, text.ErrorCode, text.ErrorMessage, failedOne) = (DeliveryStatus.Failed, "30003", "Unreachable destination handset.", true);
                    continue;
                }
                (text.Status, text.DeliveredAt) = (DeliveryStatus.Delivered, text.SentAt!.Value.AddSeconds(4));
            }
            // What the dashboard's other cards show: a client's replies, an upcoming reminder, a phase name no phase maps yet.
            db.Messages.Add(new Message
            {
                CompanyId = tenant.CompanyId, ProjectId = projectId, Direction = MessageDirection.Inbound, Kind = MessageKind.Reply,
                AuthorName = "Ann Lee", FromAddress = "+15551234567", Text = "Thank you! Is the appointment on Friday still at 10?",
                CreatedAt = app.Time.GetUtcNow().AddMinutes(-20),
            });
            db.Messages.Add(new Message
            {
                CompanyId = tenant.CompanyId, ProjectId = otherId, Direction = MessageDirection.Inbound, Kind = MessageKind.Reply,
                AuthorName = "Cara Diaz", FromAddress = "+15557654321", Text = "I found the second will. Can I bring it in?",
                CreatedAt = app.Time.GetUtcNow().AddMinutes(-5),
            });
            foreach (var type in await db.ProjectTypes.Where(t => t.CompanyId == tenant.CompanyId && t.Name == "Estate").ToListAsync()) type.IsLocked = true;
            // Clients' answers to satisfaction surveys over the last three months (SPEC §13), one asked and not answered.
            var contacts = await db.Contacts.Where(c => c.CompanyId == tenant.CompanyId).ToDictionaryAsync(c => c.ExternalId);
            var now = app.Time.GetUtcNow();
            foreach (var (who, score, daysAgo, comment) in Answers)
                db.Surveys.Add(new Survey
                {
                    CompanyId = tenant.CompanyId, ProjectId = who == "cara" ? otherId : projectId, ContactId = contacts[who].Id, Trigger = "completion",
                    SentAt = now.AddDays(-daysAgo - 1), Score = score, Comment = comment, AnsweredVia = score is null ? null : "sms",
                    AnsweredAt = score is null ? null : now.AddDays(-daysAgo),
                });
            await db.SaveChangesAsync();
        });
        var start = Instant.FromDateTimeOffset(app.Time.GetUtcNow() + TimeSpan.FromDays(3)).InZone(NewYork).Date.At(new LocalTime(10, 0));
        await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", $$"""
            { "id": "dep-1", "projectId": "2026-PI-014", "title": "Deposition", "attendees": ["ann"], "location": "Suite 400",
              "startTime": "{{start.ToString("uuuu'-'MM'-'dd' 'HH':'mm", CultureInfo.InvariantCulture)}}", "timezone": "America/New_York",
              "reminders": [{"unit": "day", "amount": 1}, {"unit": "hour", "amount": 2}], "notify": false }
            """)).ExpectAsync(HttpStatusCode.Created);
        await tenant.ProjectAsync("2026-EST-003", ["cara"], phase: "Probate hearing", type: "Estate");

        // A fixed address keeps the screenshot the same from run to run.
        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId, email: "dana.reyes@reyespark.example");
        await page.GotoAsync("/");

        var chart = page.GetByRole(AriaRole.Img, new() { Name = "Deliveries per day, last 14 days" });
        await Assertions.Expect(chart).ToBeVisibleAsync();
        for (var d = 0; d < days.Count; d++)
        {
            var beforeToday = d < days.Count - 1;
            var failed = d == 3 ? 1 : 0;
            var expected = (Sent: beforeToday ? SentPerDay[d] : 2 * SentPerDay[d], Delivered: beforeToday ? SentPerDay[d] - failed : 0, Failed: failed);
            Assert.Equal(expected, (await CountAsync(page, days[d], "sent"), await CountAsync(page, days[d], "delivered"), await CountAsync(page, days[d], "failed")));
            await Assertions.Expect(page.Locator($"svg text[data-day-label='{Iso(days[d])}']")).ToHaveTextAsync(days[d].ToString("MMM d", CultureInfo.InvariantCulture));
            // A day with sends has a visible bar.
            Assert.True(double.Parse((await page.Locator(Rect(days[d], "sent")).GetAttributeAsync("height"))!, CultureInfo.InvariantCulture) > 0);
        }
        // The eight days before the first send are drawn empty.
        Assert.Equal(0, await CountAsync(page, days[0].PlusDays(-1), "sent"));
        await Assertions.Expect(page.Locator("[data-stat=failures]")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("[data-stat=unread]")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("[data-list=unmapped]")).ToContainTextAsync("Probate hearing");
        // NPS: promoters (9–10) less detractors (0–6), as a whole percentage of the answers; the response rate of those asked.
        var scores = Answers.Where(a => a.Score is not null).Select(a => a.Score!.Value).ToList();
        var nps = (int)Math.Round(100.0 * (scores.Count(s => s >= 9) - scores.Count(s => s <= 6)) / scores.Count, MidpointRounding.AwayFromZero);
        Assert.Equal(38, nps); // 5 promoters, 2 detractors, 8 answers
        await Assertions.Expect(page.Locator("[data-stat=nps]")).ToHaveTextAsync($"+{nps}");
        await Assertions.Expect(page.Locator("[data-stat=response-rate]")).ToHaveTextAsync($"{(int)Math.Round(100.0 * scores.Count / Answers.Length, MidpointRounding.AwayFromZero)}%");
        await Assertions.Expect(page.Locator("[data-list=detractors]")).ToContainTextAsync("Nobody returned my calls for two weeks.");
        Assert.True(await page.Locator("svg[data-chart=nps] rect[data-nps]").CountAsync() >= 3);

        await page.ScreenshotAsync(new() { Path = Path.Combine(Staff.DocsFolder, "company-app.png"), FullPage = true });
    }

    static LocalDate Date(DateTimeOffset instant) => Instant.FromDateTimeOffset(instant).InZone(NewYork).Date;

    static string Iso(LocalDate day) => day.ToString("uuuu'-'MM'-'dd", CultureInfo.InvariantCulture);

    static string Rect(LocalDate day, string kind) => $"svg rect[data-day='{Iso(day)}'][data-kind='{kind}']";

    static async Task<int> CountAsync(IPage page, LocalDate day, string kind) =>
        int.Parse((await page.Locator(Rect(day, kind)).GetAttributeAsync("data-count"))!, CultureInfo.InvariantCulture);
}
