using System.Net;
using System.Text.RegularExpressions;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.CompanyApp;

/// <summary>
/// The project page (SPEC §8): only the user's own company's projects, the timeline, clients,
/// the conversation with its send box (the same path as POST send-message), and unread replies marked read.
/// </summary>
public sealed partial class ProjectPageTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    static int _lastPhone;
    static string NewPhone() => $"+1555{3000000 + Interlocked.Increment(ref _lastPhone):D7}";

    /// <summary>A company with one project (phases Intake then Discovery; it is in Discovery) and one texting client.</summary>
    async Task<(CasewireApp.Tenant Tenant, int ProjectId, string Phone)> FirmWithProjectAsync()
    {
        var tenant = await app.NewTenantAsync();
        var phone = NewPhone();
        await tenant.ContactAsync("c1", phone: phone, email: "ann@example.com");
        await tenant.ProjectAsync("other", ["c1"], phase: "Intake");
        var projectId = await tenant.ProjectAsync("case-1", ["c1"], phase: "Discovery");
        return (tenant, projectId, phone);
    }

    Task<int> MessageCountAsync(int projectId) => app.WithDbAsync(db => db.Messages.CountAsync(m => m.ProjectId == projectId));

    Task<int> OutboxCountAsync(int companyId) => app.WithDbAsync(db => db.OutboxItems.CountAsync(o => o.CompanyId == companyId));

    [Fact]
    public async Task AUserOfAnotherCompanyCannotOpenTheProjectNorPostToItsSendBox()
    {
        var (theirs, projectId, _) = await FirmWithProjectAsync();
        var outsider = await StaffSession.SignedInAsync(app, (await app.NewTenantAsync()).CompanyId);

        var page = await outsider.Http.GetAsync($"/projects/{projectId}");
        var send = await outsider.PostFormAsync($"/projects/{projectId}?handler=Send", new() { ["Text"] = "Hello from elsewhere" }, formPage: "/");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("Case case-1", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, send.StatusCode);
        Assert.Equal(0, await MessageCountAsync(projectId));
        Assert.Equal(0, await OutboxCountAsync(theirs.CompanyId));
    }

    [Fact]
    public async Task AFollowerReadsTheProjectButCannotSend()
    {
        var (tenant, projectId, _) = await FirmWithProjectAsync();
        var follower = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower);

        var html = await follower.GetPageAsync($"/projects/{projectId}");
        var send = await follower.PostFormAsync($"/projects/{projectId}?handler=Send", new() { ["Text"] = "Not allowed" });

        Assert.DoesNotContain("Message to the clients", html);
        Assert.Equal(HttpStatusCode.Forbidden, send.StatusCode);
        Assert.Equal(0, await MessageCountAsync(projectId));
        Assert.Equal(0, await OutboxCountAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task SendingFromThePageQueuesAMessageAuthoredByTheUserThatTheSinkThenSends()
    {
        var (tenant, projectId, phone) = await FirmWithProjectAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.User);
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == staff.Email);
            user.DisplayName = "Dana Reyes";
            await db.SaveChangesAsync();
        });

        var response = await staff.PostFormAsync($"/projects/{projectId}?handler=Send", new() { ["Text"] = "Your documents arrived." });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var messageId = int.Parse(MessageAnchor().Match(response.Headers.Location!.OriginalString).Groups[1].Value);
        var message = await (await tenant.Http.GetAsync($"/partner/v2/messages/{messageId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Your documents arrived.", (string?)message["text"]);
        Assert.Equal("case-1", (string?)message["projectId"]);
        Assert.Equal("explicit", (string?)message["kind"]);
        Assert.Equal("staff", (string?)message["author"]!["kind"]);
        Assert.Equal("Dana Reyes", (string?)message["author"]!["name"]);
        var recipient = Assert.Single(message["recipients"]!.AsArray());
        Assert.Equal(phone, (string?)recipient!["address"]);
        Assert.Equal("queued", (string?)recipient["status"]);
        var staffUserId = await app.WithDbAsync(db => db.Messages.Where(m => m.Id == messageId).Select(m => m.AuthorStaffUserId).SingleAsync());
        Assert.Equal(await app.WithDbAsync(db => db.Users.Where(u => u.Email == staff.Email).Select(u => (int?)u.Id).SingleAsync()), staffUserId);

        await app.DispatchAsync();

        var line = Assert.Single(app.SinkLines(), l => (int?)l["messageId"] == messageId);
        Assert.Equal(phone, (string?)line["to"]);
        Assert.Equal("Your documents arrived.", (string?)line["text"]);
        var page = await staff.GetPageAsync($"/projects/{projectId}");
        Assert.Contains("Your documents arrived.", page);
        Assert.Contains("Dana Reyes", page);
    }

    [Fact]
    public async Task AUserLinkedToATeamMemberSendsAsThatTeamMember()
    {
        var (tenant, projectId, _) = await FirmWithProjectAsync();
        await tenant.TeamMemberAsync("u-77", "sam@firm.example", "Sam", "Park");
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Admin);
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == staff.Email);
            user.TeamMemberId = await db.TeamMembers.Where(m => m.CompanyId == tenant.CompanyId && m.ExternalId == "u-77").Select(m => m.Id).SingleAsync();
            await db.SaveChangesAsync();
        });

        var response = await staff.PostFormAsync($"/projects/{projectId}?handler=Send", new() { ["Text"] = "Call me back, please." });

        var messageId = int.Parse(MessageAnchor().Match(response.Headers.Location!.OriginalString).Groups[1].Value);
        var message = await (await tenant.Http.GetAsync($"/partner/v2/messages/{messageId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("team-member", (string?)message["author"]!["kind"]);
        Assert.Equal("Sam Park", (string?)message["author"]!["name"]);
        Assert.Equal("u-77", (string?)message["author"]!["externalId"]);
    }

    [Fact]
    public async Task AnEmptyMessageComesBackWithTheFieldsErrorAndQueuesNothing()
    {
        var (tenant, projectId, _) = await FirmWithProjectAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.User);

        var response = await staff.PostFormAsync($"/projects/{projectId}?handler=Send", new() { ["Text"] = "   " });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"send-error\"", html);
        Assert.Contains("The message is required", html);
        Assert.Equal(0, await MessageCountAsync(projectId));
    }

    [Fact]
    public async Task AProjectWhoseOnlyClientOptedOutAndHasNoEmailCannotBeSentTo()
    {
        var tenant = await app.NewTenantAsync();
        var phone = NewPhone();
        await tenant.ContactAsync("c1", phone: phone);
        var projectId = await tenant.ProjectAsync("case-1", ["c1"]);
        await app.WithDbAsync(async db =>
        {
            await OptOuts.SetAsync(db, tenant.CompanyId, phone, active: true, "STOP", app.Time.GetUtcNow(), CancellationToken.None);
            await db.SaveChangesAsync();
        });
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.User);

        var page = await staff.GetPageAsync($"/projects/{projectId}");
        var response = await staff.PostFormAsync($"/projects/{projectId}?handler=Send", new() { ["Text"] = "Anyone there?" });

        Assert.Contains("opted out", page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("No client of this project can be reached", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await MessageCountAsync(projectId));
    }

    [Fact]
    public async Task OpeningTheProjectMarksItsClientRepliesReadAndNoOthers()
    {
        var (tenant, projectId, phone) = await FirmWithProjectAsync();
        var otherProjectId = await app.WithDbAsync(db => db.Projects.Where(p => p.CompanyId == tenant.CompanyId && p.ExternalId == "other").Select(p => p.Id).SingleAsync());
        var (reply, elsewhere) = await app.WithDbAsync(async db =>
        {
            var contact = await db.Contacts.SingleAsync(c => c.CompanyId == tenant.CompanyId && c.ExternalId == "c1");
            Message Reply(int project, string text) => db.Messages.Add(new Message
            {
                CompanyId = tenant.CompanyId, ProjectId = project, Direction = MessageDirection.Inbound, Kind = MessageKind.Reply,
                AuthorContactId = contact.Id, AuthorName = "Ann Lee", Text = text, FromAddress = phone, CreatedAt = app.Time.GetUtcNow(),
            }).Entity;
            var (a, b) = (Reply(projectId, "Is my hearing still on Friday?"), Reply(otherProjectId, "About the other case"));
            await db.SaveChangesAsync();
            return (a.Id, b.Id);
        });
        var follower = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower);
        app.Time.Advance(TimeSpan.FromMinutes(3));

        var first = await follower.GetPageAsync($"/projects/{projectId}");
        var second = await follower.GetPageAsync($"/projects/{projectId}");

        Assert.Contains("Is my hearing still on Friday?", first);
        Assert.Matches(@"id=""message-" + reply + @"""[^>]*>\s*<div class=""meta"">[\s\S]*?badge warn"">new<", first);
        Assert.DoesNotContain(">new<", second);
        var readAt = await app.WithDbAsync(db => db.Messages.Where(m => m.Id == reply || m.Id == elsewhere).ToDictionaryAsync(m => m.Id, m => m.ReadAt));
        Assert.NotNull(readAt[reply]);
        Assert.Equal(app.Time.GetUtcNow().ToUnixTimeMilliseconds(), readAt[reply]!.Value.ToUnixTimeMilliseconds());
        Assert.Null(readAt[elsewhere]);
    }

    [Fact]
    public async Task TheTimelineMarksTheCurrentPhaseAndTheOnesBeforeIt()
    {
        var (tenant, projectId, _) = await FirmWithProjectAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower);

        var html = await staff.GetPageAsync($"/projects/{projectId}");

        var timeline = Timeline().Match(html).Value;
        Assert.Matches(@"<li class=""done"">\s*Intake", timeline);
        Assert.Matches(@"<li aria-current=""step"">\s*Discovery", timeline);
        Assert.Single(Regex.Matches(timeline, "aria-current"));
    }

    [Fact]
    public async Task AUserChangesAClientsNotificationPreferenceAndAFollowerCannot()
    {
        var (tenant, projectId, _) = await FirmWithProjectAsync();
        var contactId = await app.WithDbAsync(db => db.Contacts.Where(c => c.CompanyId == tenant.CompanyId && c.ExternalId == "c1").Select(c => c.Id).SingleAsync());
        var follower = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower);
        var user = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.User);
        var fields = new Dictionary<string, string> { ["contactId"] = contactId.ToString(), ["preference"] = "Both" };

        var refused = await follower.PostFormAsync($"/projects/{projectId}?handler=Preference", fields);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.Contacts.Where(c => c.Id == contactId).Select(c => c.NotificationPreference).SingleAsync()));

        var saved = await user.PostFormAsync($"/projects/{projectId}?handler=Preference", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(NotificationPreference.Both, await app.WithDbAsync(db => db.Contacts.Where(c => c.Id == contactId).Select(c => c.NotificationPreference).SingleAsync()));

        var bad = await user.PostFormAsync($"/projects/{projectId}?handler=Preference", new(fields) { ["preference"] = "Carrier pigeon" });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("Choose Default, SMS, Email or SMS and email.", await bad.Content.ReadAsStringAsync());
        Assert.Equal(NotificationPreference.Both, await app.WithDbAsync(db => db.Contacts.Where(c => c.Id == contactId).Select(c => c.NotificationPreference).SingleAsync()));
    }

    [GeneratedRegex(@"#message-(\d+)$")]
    private static partial Regex MessageAnchor();

    [GeneratedRegex(@"<ol class=""timeline""[\s\S]*?</ol>")]
    private static partial Regex Timeline();
}
