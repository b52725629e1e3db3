using System.Net;
using System.Text.Json.Nodes;
using Casewire.Delivery.Inbound;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests.CompanyApp;

/// <summary>
/// Staff hear about client replies (SPEC §8): the Company App users linked to a team member of the
/// case, each by their own choice — an email per reply, a digest at 08:00 company time, or nothing — whether
/// the client texted (Twilio's signed webhook) or wrote in the portal.
/// </summary>
public sealed class ReplyNotificationTests(TwilioApp app) : IClassFixture<TwilioApp>
{
    const string CaseName = PartnerSetup.CaseName; // "Lee v. Harbor Freight", the case ClientOnProjectAsync opens

    sealed record Case(CasewireApp.Tenant Tenant, string Sender, string Phone, int ProjectId, int ContactId, string PortalPath);

    /// <summary>A firm with its own number; Ann (by phone) on project p1, to whom team member 32435 has written.</summary>
    async Task<Case> CaseAsync()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        await tenant.TeamMemberAsync("32435", "sam.park@firm.example");
        await app.SendAsync(tenant, new { projectId = "p1", text = "Hello Ann, Sam here.", authorId = "32435" });
        var (projectId, contactId) = await app.WithDbAsync(async db =>
            (await db.Projects.Where(p => p.CompanyId == tenant.CompanyId).Select(p => p.Id).SingleAsync(),
             await db.Contacts.Where(c => c.CompanyId == tenant.CompanyId).Select(c => c.Id).SingleAsync()));
        return new Case(tenant, sender, phone, projectId, contactId, await app.PortalPathAsync(tenant.CompanyId, projectId, contactId));
    }

    /// <summary>A Company App user linked to the CMS team member <paramref name="memberExternalId"/>, with the given choice.</summary>
    async Task<StaffSession> StaffAsync(Case c, string? memberExternalId, ReplyNotifications choice = ReplyNotifications.Immediately)
    {
        var staff = await StaffSession.CreateUserAsync(app, c.Tenant.CompanyId, StaffRole.User);
        await LinkAsync(c, staff, memberExternalId, choice);
        return staff;
    }

    Task LinkAsync(Case c, StaffSession staff, string? memberExternalId, ReplyNotifications choice) => app.WithDbAsync(async db =>
    {
        var user = await db.Users.SingleAsync(u => u.Email == staff.Email);
        user.TeamMemberId = memberExternalId is null ? null
            : await db.TeamMembers.Where(m => m.CompanyId == c.Tenant.CompanyId && m.ExternalId == memberExternalId).Select(m => m.Id).SingleAsync();
        user.ReplyNotifications = choice;
        await db.SaveChangesAsync();
    });

    async Task TextAsync(Case c, string body)
    {
        var response = await FakeTwilio.PostSignedAsync(app.CreateClient(), "/webhooks/twilio/sms", new()
        {
            ["AccountSid"] = FakeTwilio.AccountSid, ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["From"] = c.Phone, ["To"] = c.Sender,
            ["Body"] = body, ["NumMedia"] = "0",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    List<JsonObject> EmailsTo(StaffSession staff) =>
        app.SinkLines().Where(l => (string?)l["channel"] == "email" && (string?)l["to"] == staff.Email).ToList();

    Task<int> QueuedEmailsToAsync(StaffSession staff) =>
        app.WithDbAsync(db => db.OutboxItems.CountAsync(o => o.Channel == Channel.Email && o.To == staff.Email));

    ReplyDigests Digests => app.Services.GetRequiredService<ReplyDigests>();

    /// <summary>The next 08:00 in New York (the firms' zone) after now, worked out with the operating system's zone data.</summary>
    DateTimeOffset NextEightAmInNewYork()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var local = TimeZoneInfo.ConvertTime(app.Time.GetUtcNow(), zone);
        var eight = local.Date.AddHours(8);
        if (local.DateTime >= eight) eight = eight.AddDays(1);
        return new DateTimeOffset(eight, zone.GetUtcOffset(eight));
    }

    [Fact]
    public async Task ImmediatelyQueuesOneEmailPerReplyInTheSameTransactionNamingTheCaseTheClientAndTheLink()
    {
        var c = await CaseAsync();
        var sam = await StaffAsync(c, "32435");
        await c.Tenant.TeamMemberAsync("777", "dana@firm.example", "Dana", "Reyes");
        await c.Tenant.TeamMemberAsync("888", "outside@firm.example", "Otto", "Side");
        await c.Tenant.TeamMemberAsync("999", "else@firm.example", "Eli", "Sewhere");
        await (await c.Tenant.Http.PostJsonAsync("/partner/v2/calendar-event", new
        {
            id = "ev1", projectId = "p1", title = "Deposition", startTime = app.Time.GetUtcNow().AddDays(30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            teamMembers = new[] { "777" }, otherMembers = new[] { "888" },
        })).ExpectAsync(HttpStatusCode.Created);
        var dana = await StaffAsync(c, "777");   // assigned to the case through its event
        var otto = await StaffAsync(c, "888");   // on the event, not on the case
        var eli = await StaffAsync(c, "999");    // another case's person
        var unlinked = await StaffAsync(c, null);

        await app.ReplyAsync(c.PortalPath, "Is my hearing still on Friday?");

        // Written with the reply, before any dispatcher ran.
        Assert.Equal(1, await QueuedEmailsToAsync(sam));
        Assert.Equal(1, await QueuedEmailsToAsync(dana));
        await app.DispatchAsync();
        var email = Assert.Single(EmailsTo(sam));
        Assert.Contains(CaseName, (string?)email["subject"]);
        var body = (string)email["text"]!;
        Assert.Contains("Ann Lee replied in the client portal on " + CaseName, body);
        Assert.Contains("Is my hearing still on Friday?", body);
        Assert.Contains($"{TwilioApp.PublicBaseUrl}/projects/{c.ProjectId}", body);
        Assert.Single(EmailsTo(dana));
        Assert.Empty(EmailsTo(otto));
        Assert.Empty(EmailsTo(eli));
        Assert.Empty(EmailsTo(unlinked));

        await app.ReplyAsync(c.PortalPath, "And can I bring my wife?");
        await app.DispatchAsync();
        Assert.Equal(2, EmailsTo(sam).Count);
    }

    [Fact]
    public async Task AnInboundTextNotifiesTheSameStaffAsAPortalReply()
    {
        var c = await CaseAsync();
        var sam = await StaffAsync(c, "32435");

        await TextAsync(c, "Running 10 minutes late");
        await app.DispatchAsync();

        var email = Assert.Single(EmailsTo(sam));
        Assert.Contains(CaseName, (string?)email["subject"]);
        Assert.Contains("Ann Lee replied by text on " + CaseName, (string?)email["text"]);
        Assert.Contains("Running 10 minutes late", (string?)email["text"]);
        var reply = await app.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.ProjectId == c.ProjectId && m.Direction == MessageDirection.Inbound));
        Assert.Equal((MessageKind.Reply, c.ContactId, c.Phone), (reply.Kind, reply.AuthorContactId, reply.FromAddress));
        Assert.Null(reply.ReadAt);
    }

    [Fact]
    public async Task OffSendsNothingNowOrInTheMorning()
    {
        var c = await CaseAsync();
        var sam = await StaffAsync(c, "32435", ReplyNotifications.Off);

        await app.ReplyAsync(c.PortalPath, "Hello?");
        await TextAsync(c, "Anyone there?");
        app.Time.Advance(NextEightAmInNewYork() - app.Time.GetUtcNow());
        await Digests.SendDueAsync(CancellationToken.None);
        await app.DispatchAsync();

        Assert.Equal(0, await QueuedEmailsToAsync(sam));
        Assert.Empty(EmailsTo(sam));
    }

    [Fact]
    public async Task ADailyDigestWaitsFor8AmCompanyTimeThenListsTheDaysRepliesOnce()
    {
        var c = await CaseAsync();
        var sam = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId, StaffRole.Follower);
        await LinkAsync(c, sam, "32435", ReplyNotifications.Immediately);
        await app.ReplyAsync(c.PortalPath, "Before the digest was chosen");
        // The user picks the digest on their own page.
        var chosen = await sam.PostFormAsync("/account/notifications", new() { ["Choice"] = "DailyDigest" });
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        var radio = System.Text.RegularExpressions.Regex.Match(await sam.GetPageAsync("/account/notifications"), """<input[^>]*id="choice-digest"[^>]*>""");
        Assert.Contains("checked", radio.Value);

        app.Time.Advance(TimeSpan.FromSeconds(30));
        await app.ReplyAsync(c.PortalPath, "First question, from the portal");
        await TextAsync(c, "Second question, by text");
        var eight = NextEightAmInNewYork();
        await Digests.SendDueAsync(CancellationToken.None);
        app.Time.Advance(eight - TimeSpan.FromMinutes(1) - app.Time.GetUtcNow());
        await Digests.SendDueAsync(CancellationToken.None);
        await app.DispatchAsync();
        Assert.Single(EmailsTo(sam)); // only the immediate one, from before the digest was chosen

        app.Time.Advance(TimeSpan.FromMinutes(1));
        // Two instances tick at once: one digest.
        await Task.WhenAll(Digests.SendDueAsync(CancellationToken.None), Digests.SendDueAsync(CancellationToken.None));
        await app.DispatchAsync();

        var emails = EmailsTo(sam);
        Assert.Equal(2, emails.Count);
        var digest = emails[1];
        Assert.Equal("Client replies: 2 replies on " + CaseName, (string?)digest["subject"]);
        var body = (string)digest["text"]!;
        Assert.Contains("First question, from the portal", body);
        Assert.Contains("Second question, by text", body);
        Assert.DoesNotContain("Before the digest was chosen", body);
        Assert.Contains($"{TwilioApp.PublicBaseUrl}/projects/{c.ProjectId}", body);

        // The next tick, and a restart's, find nothing new to send.
        app.Time.Advance(TimeSpan.FromMinutes(15));
        await Digests.SendDueAsync(CancellationToken.None);
        await new ReplyDigests(app.Services.GetRequiredService<IServiceScopeFactory>(), app.Time,
                app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Casewire.Delivery.DeliveryOptions>>(),
                app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Casewire.Hosting.PublicUrlOptions>>(),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<ReplyDigests>.Instance)
            .SendDueAsync(CancellationToken.None);
        await app.DispatchAsync();
        Assert.Equal(2, EmailsTo(sam).Count);
        var until = await app.WithDbAsync(db => db.Users.Where(u => u.Email == sam.Email).Select(u => u.RepliesNotifiedUntil).SingleAsync());
        Assert.Equal(eight, until);

        // The next morning: a reply of the day in between, and only it.
        await app.ReplyAsync(c.PortalPath, "Third question");
        app.Time.Advance(NextEightAmInNewYork() - app.Time.GetUtcNow());
        await Digests.SendDueAsync(CancellationToken.None);
        await app.DispatchAsync();
        Assert.Equal(3, EmailsTo(sam).Count);
        Assert.Equal("Client replies: 1 reply on " + CaseName, (string?)EmailsTo(sam)[2]["subject"]);
        Assert.DoesNotContain("First question", (string?)EmailsTo(sam)[2]["text"]);
    }

    [Fact]
    public async Task TheNotificationsPageIsEachUsersOwnAndRefusesNonsense()
    {
        var c = await CaseAsync();
        var sam = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId, StaffRole.Follower);

        var page = await sam.GetPageAsync("/account/notifications");
        Assert.Contains("""<label class="check" for="choice-immediately">""", page);
        Assert.Contains("not linked to a CMS team member", page);
        Assert.Contains("""href="/account/notifications""", await sam.GetPageAsync("/"));

        var nonsense = await sam.PostFormAsync("/account/notifications", new() { ["Choice"] = "Hourly" });
        Assert.Equal(HttpStatusCode.OK, nonsense.StatusCode);
        Assert.Contains("Choose how to hear about client replies", await nonsense.Content.ReadAsStringAsync());
        var forged = await sam.PostFormWithoutTokenAsync("/account/notifications", new() { ["Choice"] = "Off" });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(ReplyNotifications.Immediately,
            await app.WithDbAsync(db => db.Users.Where(u => u.Email == sam.Email).Select(u => u.ReplyNotifications).SingleAsync()));

        Assert.Equal(HttpStatusCode.Redirect, (await sam.PostFormAsync("/account/notifications", new() { ["Choice"] = "Off" })).StatusCode);
        Assert.Equal(ReplyNotifications.Off,
            await app.WithDbAsync(db => db.Users.Where(u => u.Email == sam.Email).Select(u => u.ReplyNotifications).SingleAsync()));
        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/account/notifications")).StatusCode);
    }
}
