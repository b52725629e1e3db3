using System.Net;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.Tests.CompanyApp;

/// <summary>The delivery log (SPEC §8): outbound and inbound in one newest-first list, filtered, paged, per company.</summary>
public sealed class DeliveryLogTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    const string AnnPhone = "+15551234567";

    /// <summary>A firm in Los Angeles whose case has Ann (texts) and Bob (email only); a message to both was sent, then Ann replied.</summary>
    async Task<(CasewireApp.Tenant Tenant, StaffSession Staff, int ProjectId)> FirmWithTrafficAsync(string annPhone = AnnPhone)
    {
        var tenant = await app.NewTenantAsync();
        await app.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            company.TimeZone = "America/Los_Angeles";
            await db.SaveChangesAsync();
        });
        await tenant.ContactAsync("ann", phone: annPhone, firstName: "Ann", lastName: "Lee");
        await tenant.ContactAsync("bob", email: "bob.stone@example.com", firstName: "Bob", lastName: "Stone");
        var projectId = await tenant.ProjectAsync("case-1", ["ann", "bob"]);
        await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", new { projectId = "case-1", text = "Your hearing moved to Friday." }))
            .ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync();
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await InboundAsync(tenant.CompanyId, projectId, annPhone, "Ann Lee", "Thanks, see you then.");
        return (tenant, await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower), projectId);
    }

    Task InboundAsync(int companyId, int? projectId, string? from, string author, string text, DateTimeOffset? at = null) => app.WithDbAsync(async db =>
    {
        db.Messages.Add(new Message
        {
            CompanyId = companyId, ProjectId = projectId, Direction = MessageDirection.Inbound, Kind = MessageKind.Reply, AuthorName = author,
            Text = text, FromAddress = from, CreatedAt = at ?? app.Time.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    });

    /// <summary>The rows of a log page as "direction:counterpart".</summary>
    static List<string> Rows(string html) =>
        PageHtml.Values(html, "data-direction").Zip(Counterparts(html), (d, c) => $"{d}:{c}").ToList();

    static IEnumerable<string> Counterparts(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "<td data-counterpart>([^<]*)</td>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value));

    [Fact]
    public async Task TheLogListsDeliveriesAndRepliesNewestFirstWithTheirDetailsInTheCompanysTimeZone()
    {
        var (_, staff, projectId) = await FirmWithTrafficAsync();
        var sms = await app.WithDbAsync(db => db.OutboxItems.AsNoTracking().Where(o => o.To == AnnPhone).OrderBy(o => o.Id).LastAsync());

        var html = await staff.GetPageAsync("/deliveries");

        Assert.Equal(["inbound:Ann Lee (+15551234567)", "outbound:bob.stone@example.com", $"outbound:{AnnPhone}"], Rows(html));
        Assert.Contains("Your hearing moved to Friday.", html);
        Assert.Contains("Thanks, see you then.", html);
        Assert.Contains($"href=\"/projects/{projectId}\"", html);
        Assert.Contains($"<code>{sms.ProviderMessageId}</code>", html);
        var local = Instant.FromDateTimeOffset(sms.SentAt!.Value).InZone(DateTimeZoneProviders.Tzdb["America/Los_Angeles"]);
        Assert.Contains($"sent <time datetime=\"{sms.SentAt.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\">" +
                        $"{local.ToString("MMM d, h:mm tt", System.Globalization.CultureInfo.InvariantCulture)} PST</time>", html);
    }

    [Fact]
    public async Task EveryFilterNarrowsTheList()
    {
        var (_, staff, _) = await FirmWithTrafficAsync();
        var today = Instant.FromDateTimeOffset(app.Time.GetUtcNow()).InZone(DateTimeZoneProviders.Tzdb["America/Los_Angeles"]).Date;
        string Day(LocalDate d) => d.ToString("uuuu'-'MM'-'dd", System.Globalization.CultureInfo.InvariantCulture);

        async Task<List<string>> RowsFor(string query) => Rows(await staff.GetPageAsync("/deliveries?" + query));

        Assert.Equal(["outbound:bob.stone@example.com"], await RowsFor("channel=email"));
        Assert.Equal(["inbound:Ann Lee (+15551234567)", $"outbound:{AnnPhone}"], await RowsFor("channel=sms"));
        Assert.Equal(["inbound:Ann Lee (+15551234567)"], await RowsFor("direction=inbound"));
        Assert.Equal(["inbound:Ann Lee (+15551234567)"], await RowsFor("status=received"));
        Assert.Equal(2, (await RowsFor("status=sent")).Count);
        Assert.Empty(await RowsFor("status=failed"));
        Assert.Equal(2, (await RowsFor("direction=outbound&status=sent")).Count);
        // A number as people type it finds the stored E.164 form; an address by any part of it.
        Assert.Equal(["inbound:Ann Lee (+15551234567)", $"outbound:{AnnPhone}"], await RowsFor("q=" + Uri.EscapeDataString("(555) 123-4567")));
        Assert.Equal(["outbound:bob.stone@example.com"], await RowsFor("q=BOB.STONE"));
        // Dates are the company's calendar days, both ends included.
        Assert.Equal(3, (await RowsFor($"from={Day(today)}&to={Day(today)}")).Count);
        Assert.Empty(await RowsFor($"from={Day(today.PlusDays(1))}"));
        Assert.Empty(await RowsFor($"to={Day(today.PlusDays(-1))}"));
    }

    [Theory]
    [InlineData("from=2026-13-01", "From", "is not a date")]
    [InlineData("from=2026-02-01&to=2026-01-01", "To", "before the start date")]
    [InlineData("status=lost", "Status", "is not a status")]
    [InlineData("cursor=bm9wZQ", "Cursor", "no longer valid")]
    public async Task ABadFilterIsExplainedNextToItsFieldInsteadOfAnError(string query, string field, string message)
    {
        var (_, staff, _) = await FirmWithTrafficAsync();

        var html = await staff.GetPageAsync("/deliveries?" + query);

        Assert.Contains(message, PageHtml.FieldError(html, field));
        Assert.Empty(Rows(html));
    }

    [Fact]
    public async Task AnotherCompanysDeliveriesAndRepliesNeverAppear()
    {
        const string theirPhone = "+15559876543";
        var (_, staff, _) = await FirmWithTrafficAsync();
        var (other, _, _) = await FirmWithTrafficAsync(theirPhone);
        await InboundAsync(other.CompanyId, null, theirPhone, "Stranger", "Who is this?");

        var all = await staff.GetPageAsync("/deliveries");
        var searched = await staff.GetPageAsync("/deliveries?q=9876543");
        var inbound = await staff.GetPageAsync("/deliveries?direction=inbound");

        Assert.DoesNotContain(theirPhone, all);
        Assert.DoesNotContain("Who is this?", all);
        Assert.Empty(Rows(searched));
        Assert.Equal(["inbound:Ann Lee (+15551234567)"], Rows(inbound));
    }

    [Fact]
    public async Task PagesFollowEachOtherByCursorShowingEveryRowOnceEvenWhileNewRowsArrive()
    {
        var tenant = await app.NewTenantAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower);
        var start = app.Time.GetUtcNow();
        await app.WithDbAsync(async db =>
        {
            // 75 deliveries a minute apart and 20 replies between them, oldest first (ids grow with time, as in life).
            for (var i = 0; i < 75; i++)
            {
                var at = start - TimeSpan.FromMinutes(200 - 2 * i);
                db.OutboxItems.Add(new OutboxItem
                {
                    CompanyId = tenant.CompanyId, Channel = Channel.Sms, To = $"+1555000{i:D4}", Body = $"Note {i}", Status = DeliveryStatus.Sent,
                    DueAt = at, AvailableAt = at, CreatedAt = at, SentAt = at, Attempts = 1,
                });
                if (i % 4 == 0)
                    db.Messages.Add(new Message
                    {
                        CompanyId = tenant.CompanyId, Direction = MessageDirection.Inbound, Kind = MessageKind.Reply, AuthorName = $"Client {i}",
                        Text = $"Reply {i}", FromAddress = $"+1555000{i:D4}", CreatedAt = at + TimeSpan.FromSeconds(30),
                    });
                await db.SaveChangesAsync();
            }
        });

        var seen = new List<string>();
        var times = new List<string>();
        var pages = 0;
        for (var url = "/deliveries"; url is not null; pages++)
        {
            var html = await staff.GetPageAsync(url);
            seen.AddRange(PageHtml.Values(html, "data-direction").Zip(PageHtml.Values(html, "data-id"), (d, id) => $"{d}:{id}"));
            times.AddRange(System.Text.RegularExpressions.Regex.Matches(html, "<td class=\"nowrap\"><time datetime=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
            if (pages == 0) await InboundAsync(tenant.CompanyId, null, "+15550009999", "Late", "Arrived while paging");
            url = PageHtml.NextPage(html);
        }

        Assert.Equal(2, pages);
        Assert.Equal(75 + 19, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(75, seen.Count(s => s.StartsWith("outbound:", StringComparison.Ordinal)));
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
    }
}
