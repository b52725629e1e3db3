using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Casewire.Model;
using Casewire.Portal;
using Casewire.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests.Portal;

/// <summary>
/// The client portal (SPEC §8): what a client sees through their signed link — the tracker
/// with client-facing names, their upcoming events in their local time, their side of the conversation —
/// and the reply box; links that were altered, expired or revoked open nothing.
/// </summary>
public sealed partial class PortalTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    /// <summary>A firm whose automatic messages go out at once (the shared clock may be at any hour).</summary>
    async Task<CasewireApp.Tenant> FirmAsync(string timeZone = "America/New_York")
    {
        var tenant = await app.NewTenantAsync();
        await app.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            company.DeliveryWindow = DeliveryWindow.Immediate;
            company.TimeZone = timeZone;
            await db.SaveChangesAsync();
        });
        return tenant;
    }

    async Task<string> PageAsync(string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        await app.ClientBrowser().GetPageAsync(path, expected);

    static async Task SendAsync(CasewireApp.Tenant tenant, string projectId, string text) =>
        await (await tenant.Http.PostAsJsonAsync("/partner/v2/send-message", new { projectId, text })).ExpectAsync(HttpStatusCode.Accepted);

    [GeneratedRegex("""<li[^>]*aria-current="step"[^>]*>\s*([^<]+?)\s*<""")]
    private static partial Regex CurrentStep();

    [GeneratedRegex("""<li class="done"[^>]*>\s*([^<]+?)\s*<""")]
    private static partial Regex DoneStep();

    // ---- the tracker ----

    [Fact]
    public async Task TheTrackerShowsTheClientFacingPhasesInOrderWithTheCurrentOneHighlighted()
    {
        var tenant = await FirmAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551230001");
        int project = 0;
        foreach (var phase in new[] { "PI-INTAKE", "PI-TREAT", "PI-SETTLE", "PI-TREAT" })
            project = await tenant.ProjectAsync("p1", ["c1"], phase: phase, type: "PI-TYPE");
        // The firm names the phases for clients; the CMS's names stay behind.
        await app.WithDbAsync(async db =>
        {
            var typeId = await db.Projects.Where(p => p.Id == project).Select(p => p.ProjectTypeId).SingleAsync();
            var phases = await db.Phases.Where(p => p.ProjectTypeId == typeId).OrderBy(p => p.Step).ToListAsync();
            Assert.Equal(3, phases.Count);
            (phases[0].Name, phases[1].Name, phases[2].Name) = ("Getting started", "Medical care", "Settlement talks");
            await db.SaveChangesAsync();
        });

        var html = await PageAsync(await app.PortalPathAsync(tenant.CompanyId, project, ann));

        Assert.Equal("Medical care", CurrentStep().Match(html).Groups[1].Value);
        Assert.Single(CurrentStep().Matches(html));
        Assert.Equal(["Getting started"], DoneStep().Matches(html).Select(m => m.Groups[1].Value));
        Assert.True(html.IndexOf("Getting started", StringComparison.Ordinal) < html.IndexOf("Medical care", StringComparison.Ordinal)
                    && html.IndexOf("Medical care", StringComparison.Ordinal) < html.IndexOf("Settlement talks", StringComparison.Ordinal));
        Assert.DoesNotContain("PI-", html);
        Assert.Contains("Case p1", html);
        Assert.Contains("Firm " + tenant.Slug, html);
    }

    // ---- upcoming events ----

    [Fact]
    public async Task UpcomingEventsTheClientAttendsAreShownInTheirLocalTime()
    {
        var tenant = await FirmAsync(timeZone: "America/Chicago");
        var ann = await tenant.ContactAsync("c1", phone: "+15551230002");
        await tenant.ContactAsync("c2", phone: "+15551230003", firstName: "Bob");
        var project = await tenant.ProjectAsync("p1", ["c1", "c2"]);
        var now = app.Time.GetUtcNow();
        var hearing = new DateTimeOffset(now.UtcDateTime.Date.AddDays(20).AddHours(15), TimeSpan.Zero);
        async Task EventAsync(string id, string title, DateTimeOffset start, string[] attendees) =>
            await (await tenant.Http.PostAsJsonAsync("/partner/v2/calendar-event", new
            {
                id, projectId = "p1", title, attendees, timezone = "America/New_York", location = "1234 Courtroom Road",
                startTime = start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                reminders = new[] { new { unit = "day", amount = 1 } },
            })).ExpectAsync(HttpStatusCode.Created);
        await EventAsync("e1", "Settlement hearing", hearing, ["c1"]);
        await EventAsync("e2", "Bob's deposition", hearing.AddDays(1), ["c2"]);
        await EventAsync("e3", "Canceled meeting", hearing.AddDays(2), ["c1"]);
        await EventAsync("e4", "Last week's call", now.AddDays(-7), ["c1"]);
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Http.DeleteAsync("/partner/v2/project/p1/calendar-event/e3")).StatusCode);

        var html = await PageAsync(await app.PortalPathAsync(tenant.CompanyId, project, ann));

        // Worked out with the operating system's zone data, not Casewire's.
        static string Local(DateTimeOffset at, string zone) => TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(zone))
            .ToString("ddd, MMM d 'at' h:mm tt", CultureInfo.InvariantCulture);
        Assert.Contains("Settlement hearing", html);
        Assert.Contains(Local(hearing, "America/Chicago"), html);
        Assert.Contains(Local(hearing, "America/New_York") + " ", html); // also where it takes place
        Assert.Contains("1234 Courtroom Road", html);
        Assert.DoesNotContain("Bob&#x27;s deposition", html);
        Assert.DoesNotContain("deposition", html);
        Assert.DoesNotContain("Canceled meeting", html);
        Assert.DoesNotContain("Last week", html);
        // The reminder due the day before is not in the conversation before its time.
        Assert.DoesNotContain("reminder of", html);
    }

    // ---- the conversation ----

    [Fact]
    public async Task TheConversationShowsWhatWasSentToThisClientAndTheirOwnRepliesOnly()
    {
        var tenant = await FirmAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551230004");
        var bob = await tenant.ContactAsync("c2", phone: "+15551230005", firstName: "Bob");
        var project = await tenant.ProjectAsync("p1", ["c1", "c2"], milestones: true);
        var other = await tenant.ProjectAsync("p2", ["c1"]);
        await SendAsync(tenant, "p1", "Your documents are ready, both of you.");
        await SendAsync(tenant, "p2", "About your other case.");
        var annPath = await app.PortalPathAsync(tenant.CompanyId, project, ann);
        var bobPath = await app.PortalPathAsync(tenant.CompanyId, project, bob);
        await app.ReplyAsync(bobPath, "Bob's private question");
        await app.ReplyAsync(annPath, "Ann's own question");
        await app.ReplyAsync(await app.PortalPathAsync(tenant.CompanyId, other, ann), "Ann about the other case");

        var html = await PageAsync(annPath);

        Assert.Contains("Hi Ann, this is Firm " + tenant.Slug, html); // her welcome
        Assert.Contains("Your documents are ready, both of you.", html);
        Assert.Contains("Ann&#x27;s own question", html);
        Assert.DoesNotContain("Hi Bob", html);
        Assert.DoesNotContain("Bob&#x27;s private question", html);
        Assert.DoesNotContain("other case", html);
        // Her reply is hers, last, after the firm's messages.
        Assert.True(html.IndexOf("both of you", StringComparison.Ordinal) < html.IndexOf("Ann&#x27;s own question", StringComparison.Ordinal));
        // Bob sees the shared message and his own words, not Ann's.
        var bobs = await PageAsync(bobPath);
        Assert.Contains("Bob&#x27;s private question", bobs);
        Assert.Contains("both of you", bobs);
        Assert.DoesNotContain("Ann&#x27;s own question", bobs);
    }

    [Fact]
    public async Task AReplyJoinsTheCaseConversationAsAnUnreadInboundMessageFromTheClient()
    {
        var tenant = await FirmAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551230006");
        var project = await tenant.ProjectAsync("p1", ["c1"]);
        var path = await app.PortalPathAsync(tenant.CompanyId, project, ann);
        var browser = app.ClientBrowser();

        var sent = await browser.ReplyInPortalAsync(path, "  Can we talk on Friday?  ");

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(path + "#conversation", sent.Headers.Location!.OriginalString);
        var reply = await app.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.ProjectId == project && m.Direction == MessageDirection.Inbound));
        Assert.Equal(MessageKind.Reply, reply.Kind);
        Assert.Equal(ann, reply.AuthorContactId);
        Assert.Equal("Ann Lee", reply.AuthorName);
        Assert.Equal("Can we talk on Friday?", reply.Text);
        Assert.Null(reply.ReadAt);
        Assert.Null(reply.FromAddress); // it came from no phone number: the portal
        Assert.Equal(tenant.CompanyId, reply.CompanyId);
        // The CMS reads it in the case's conversation like a texted reply.
        var conversation = await (await tenant.Http.GetAsync("/partner/v2/projects/p1/messages")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(conversation["items"]!.AsArray(), m => (string?)m!["text"] == "Can we talk on Friday?");
        // And the client sees it, with the confirmation, once.
        var page = await browser.GetPageAsync(path);
        Assert.Contains("Your message is sent", page);
        Assert.Contains("Can we talk on Friday?", page);
        Assert.DoesNotContain("Your message is sent", await browser.GetPageAsync(path));
    }

    [Fact]
    public async Task AnEmptyReplyShowsTheFormWithItsMessageAndStoresNothing()
    {
        var tenant = await FirmAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551230007");
        var project = await tenant.ProjectAsync("p1", ["c1"]);
        var path = await app.PortalPathAsync(tenant.CompanyId, project, ann);

        var response = await app.ClientBrowser().ReplyInPortalAsync(path, "   ");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Please write your message before sending it.", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.WithDbAsync(db => db.Messages.CountAsync(m => m.ProjectId == project)));
    }

    [Fact]
    public async Task RepliesArePacedPerLinkWithAFriendlyMessage()
    {
        var tenant = await FirmAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551230008");
        var project = await tenant.ProjectAsync("p1", ["c1"]);
        var path = await app.PortalPathAsync(tenant.CompanyId, project, ann);
        for (var i = 1; i <= Casewire.Portal.Pages.CaseModel.RepliesPerMinute; i++) await app.ReplyAsync(path, $"Message {i}");

        var refused = await app.ClientBrowser().ReplyInPortalAsync(path, "One more");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("please wait a minute", html);
        Assert.Contains("One more", html); // the text is kept in the box
        Assert.Equal(Casewire.Portal.Pages.CaseModel.RepliesPerMinute, await app.WithDbAsync(db => db.Messages.CountAsync(m => m.ProjectId == project)));
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.ReplyAsync(path, "One more");
    }

    [Fact]
    public async Task TheReplyFormWithoutItsAntiforgeryTokenIsRejected()
    {
        var tenant = await FirmAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551230009");
        var project = await tenant.ProjectAsync("p1", ["c1"]);
        var path = await app.PortalPathAsync(tenant.CompanyId, project, ann);
        var browser = app.ClientBrowser();
        await browser.GetPageAsync(path); // has the antiforgery cookie, not the form's token

        var response = await browser.PostFormWithoutTokenAsync(path, new() { ["Text"] = "Forged" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(0, await app.WithDbAsync(db => db.Messages.CountAsync(m => m.ProjectId == project)));
    }

    // ---- links ----

    [Fact]
    public async Task ThePageIsNeverCachedIndexedOrReferred()
    {
        var tenant = await FirmAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551230010");
        var project = await tenant.ProjectAsync("p1", ["c1"]);

        var response = await app.CreateClient().GetAsync(await app.PortalPathAsync(tenant.CompanyId, project, ann));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("noindex", response.Headers.GetValues("X-Robots-Tag").Single());
        Assert.Contains("""<meta name="robots" content="noindex, nofollow">""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ATamperedLinkIsRefusedWithAPlainPageThatShowsNothingOfTheCase()
    {
        var tenant = await FirmAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551230011");
        var project = await tenant.ProjectAsync("p1", ["c1"]);
        var path = await app.PortalPathAsync(tenant.CompanyId, project, ann);
        var tampered = path[..^3] + (path[^3] == 'A' ? 'B' : 'A') + path[^2..];

        var response = await app.CreateClient().GetAsync(tampered);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("This link no longer works", html);
        Assert.Contains("ask your law firm for a new link", html);
        Assert.DoesNotContain("Case p1", html);
        Assert.DoesNotContain(tenant.Slug, html);
        Assert.DoesNotContain("Send me a new link", html);
        var forged = await app.ClientBrowser().PostFormWithoutTokenAsync(tampered, new() { ["Text"] = "x" });
        Assert.True(forged.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ALinkExpiresAfterItsLifetimeAndCanAskForAFreshOneSentToTheClientOnly()
    {
        var tenant = await FirmAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551230012");
        var project = await tenant.ProjectAsync("p1", ["c1"]);
        var path = await app.PortalPathAsync(tenant.CompanyId, project, ann);
        var lifetime = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PortalOptions>>().Value.LinkLifetime;
        Assert.Equal(TimeSpan.FromDays(90), lifetime);

        app.Time.Advance(lifetime - TimeSpan.FromMinutes(1));
        await PageAsync(path);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var browser = app.ClientBrowser();
        var expired = await browser.GetPageAsync(path, HttpStatusCode.NotFound);

        Assert.Contains("This link no longer works", expired);
        Assert.DoesNotContain("Case p1", expired);
        var token = StaffSession.AntiforgeryToken(expired)!;
        var reply = await browser.PostFormWithoutTokenAsync(path, new() { ["Text"] = "Still there?", ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Messages.CountAsync(m => m.ProjectId == project && m.Direction == MessageDirection.Inbound)));

        // "Send me a new link": it goes to the client's own phone, once a day at most.
        Assert.Contains("Send me a new link", expired);
        var asked = await browser.PostFormWithoutTokenAsync(path + "?handler=NewLink", new() { ["__RequestVerificationToken"] = token });
        Assert.Contains("a new one is on its way", await asked.Content.ReadAsStringAsync());
        await browser.PostFormWithoutTokenAsync(path + "?handler=NewLink", new() { ["__RequestVerificationToken"] = token });
        await app.DispatchAsync();
        var text = Assert.Single(app.SinkLines(), l => (string?)l["to"] == "+15551230012");
        var fresh = new Uri(Regex.Match((string)text["text"]!, @"https?://\S+/p/[A-Za-z0-9]{10}").Value).AbsolutePath;
        Assert.Contains("Case p1", await PageAsync(fresh));
    }

    [Fact]
    public async Task ALinkIssuedBeforeTheFirmRevokedItsLinksIsRefused()
    {
        var tenant = await FirmAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551230013");
        var project = await tenant.ProjectAsync("p1", ["c1"]);
        var before = await app.PortalPathAsync(tenant.CompanyId, project, ann);

        await app.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            company.PortalLinkVersion++;
            await db.SaveChangesAsync();
        });
        var after = await app.PortalPathAsync(tenant.CompanyId, project, ann);

        var refused = await PageAsync(before, HttpStatusCode.NotFound);
        Assert.Contains("This link no longer works", refused);
        Assert.DoesNotContain("Send me a new link", refused); // a revoked link gets nothing sent anywhere
        Assert.Contains("Case p1", await PageAsync(after));
    }

    [Fact]
    public async Task ALinkIssuedBeforeLinksCarriedAVersionStillOpens()
    {
        var tenant = await FirmAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551230014");
        var project = await tenant.ProjectAsync("p1", ["c1"]);
        // The first format: company, project, contact, issued-at; no version (read as 1, every firm's first).
        using var plain = new MemoryStream();
        using (var writer = new BinaryWriter(plain))
        {
            writer.Write7BitEncodedInt(tenant.CompanyId);
            writer.Write7BitEncodedInt(project);
            writer.Write7BitEncodedInt(ann);
            writer.Write7BitEncodedInt64(app.Time.GetUtcNow().ToUnixTimeSeconds());
        }
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(PortalLinks.Purpose);
        var token = WebEncoders.Base64UrlEncode(protector.Protect(plain.ToArray()));

        Assert.Contains("Case p1", await PageAsync("/portal/" + token));
    }
}
