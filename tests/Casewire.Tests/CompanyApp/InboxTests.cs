using System.Net;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.CompanyApp;

/// <summary>
/// SPEC §12: the staff inbox — one row per client conversation with its latest message, unread until a staff member
/// opens it, flagged, archived until the client writes again, assigned to a staff user; the views unread, flagged,
/// mine and archived; scoped to the firm. Client texts arrive through Twilio's signed webhook, as in production.
/// </summary>
public sealed class InboxTests(TwilioApp app) : IClassFixture<TwilioApp>
{
    sealed record Case(CasewireApp.Tenant Tenant, string Sender, string Phone, int ProjectId);

    /// <summary>A firm with Ann on p1 (Lee v. Harbor Freight), to whom the firm has written once.</summary>
    async Task<Case> CaseAsync()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        await app.SendAsync(tenant, new { projectId = "p1", text = "Hello Ann, your hearing is set." });
        var projectId = await app.WithDbAsync(db => db.Projects.Where(p => p.CompanyId == tenant.CompanyId).Select(p => p.Id).SingleAsync());
        return new Case(tenant, sender, phone, projectId);
    }

    async Task TextAsync(Case c, string body)
    {
        var response = await FakeTwilio.PostSignedAsync(app.CreateClient(), "/webhooks/twilio/sms", new()
        {
            ["AccountSid"] = FakeTwilio.AccountSid, ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["From"] = c.Phone, ["To"] = c.Sender,
            ["Body"] = body, ["NumMedia"] = "0",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    static async Task<List<string>> RowsAsync(StaffSession staff, string show = "open") =>
        PageHtml.Values(await staff.GetPageAsync(show == "open" ? "/inbox" : $"/inbox?show={show}"), "data-conversation");

    Task<ConversationState?> StateAsync(Case c) =>
        app.WithDbAsync(db => db.ConversationStates.AsNoTracking().FirstOrDefaultAsync(s => s.ProjectId == c.ProjectId));

    static Dictionary<string, string> Form(Case c, string field, string value) =>
        new() { ["projectId"] = c.ProjectId.ToString(), [field] = value };

    [Fact]
    public async Task AClientsReplyIsAnUnreadRowWithTheLatestMessageAndTheDashboardLinksThere()
    {
        var c = await CaseAsync();
        var staff = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId);
        Assert.Empty(await RowsAsync(staff)); // the firm's own text alone is no client conversation

        await TextAsync(c, "Can I bring my sister to the hearing?");

        var page = await staff.GetPageAsync("/inbox");
        Assert.Equal([c.ProjectId.ToString()], PageHtml.Values(page, "data-conversation"));
        Assert.Equal(["1"], PageHtml.Values(page, "data-unread"));
        Assert.Contains("Can I bring my sister to the hearing?", page);
        Assert.Contains(PartnerSetup.CaseName, page);
        Assert.Equal([c.ProjectId.ToString()], await RowsAsync(staff, "unread"));
        var dashboard = await staff.GetPageAsync("/");
        Assert.Equal(1, PageHtml.Stat(dashboard, "unread"));
        Assert.Contains("href=\"/inbox?show=unread\"", dashboard);
    }

    [Fact]
    public async Task OpeningTheConversationMarksItReadForEveryone()
    {
        var c = await CaseAsync();
        await TextAsync(c, "Is Friday still on?");
        var dana = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId, StaffRole.User);
        var sam = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId, StaffRole.User);
        Assert.Equal([c.ProjectId.ToString()], await RowsAsync(sam, "unread"));

        await dana.GetPageAsync($"/projects/{c.ProjectId}");

        Assert.Empty(await RowsAsync(sam, "unread"));
        var page = await sam.GetPageAsync("/inbox");
        Assert.Equal([c.ProjectId.ToString()], PageHtml.Values(page, "data-conversation"));
        Assert.Empty(PageHtml.Values(page, "data-unread"));
    }

    [Fact]
    public async Task AFlaggedConversationShowsUnderFlaggedUntilUnflagged()
    {
        var c = await CaseAsync();
        await TextAsync(c, "Please call me.");
        var staff = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId, StaffRole.User);

        var flagged = await staff.PostFormAsync("/inbox?handler=Flag", Form(c, "flagged", "true"));

        Assert.Equal(HttpStatusCode.Redirect, flagged.StatusCode);
        Assert.True((await StateAsync(c))!.Flagged);
        Assert.Equal([c.ProjectId.ToString()], await RowsAsync(staff, "flagged"));
        await staff.PostFormAsync("/inbox?handler=Flag", Form(c, "flagged", "false"));
        Assert.Empty(await RowsAsync(staff, "flagged"));
        Assert.Equal([c.ProjectId.ToString()], await RowsAsync(staff));
    }

    [Fact]
    public async Task AnArchivedConversationLeavesTheInboxUntilTheClientWritesAgain()
    {
        var c = await CaseAsync();
        await TextAsync(c, "Thanks, that's all.");
        var staff = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId, StaffRole.User);
        await staff.PostFormAsync("/inbox?handler=Flag", Form(c, "flagged", "true"));

        await staff.PostFormAsync("/inbox?handler=Archive", Form(c, "archived", "true"));

        Assert.Empty(await RowsAsync(staff));
        Assert.Empty(await RowsAsync(staff, "flagged"));
        Assert.Equal([c.ProjectId.ToString()], await RowsAsync(staff, "archived"));
        Assert.NotNull((await StateAsync(c))!.ArchivedAt);

        await TextAsync(c, "Actually, one more question.");

        Assert.Equal([c.ProjectId.ToString()], await RowsAsync(staff));
        Assert.Empty(await RowsAsync(staff, "archived"));
        var state = (await StateAsync(c))!;
        Assert.Null(state.ArchivedAt);
        Assert.True(state.Flagged); // the flag outlives the archive
        Assert.Contains("Actually, one more question.", await staff.GetPageAsync("/inbox"));
    }

    [Fact]
    public async Task AConversationAssignedToMeShowsUnderMineAndNotUnderAnothersMine()
    {
        var c = await CaseAsync();
        await TextAsync(c, "Who is handling my case?");
        var me = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId, StaffRole.User);
        var colleague = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId, StaffRole.User);
        var myId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == me.Email).Select(u => u.Id).SingleAsync());

        var assigned = await colleague.PostFormAsync("/inbox?handler=Assign", Form(c, "staffUserId", myId.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.Equal(myId, (await StateAsync(c))!.AssignedStaffUserId);
        Assert.Equal([c.ProjectId.ToString()], await RowsAsync(me, "mine"));
        Assert.Empty(await RowsAsync(colleague, "mine"));
        Assert.Equal([me.Email], PageHtml.Values(await colleague.GetPageAsync("/inbox"), "data-assigned"));

        await me.PostFormAsync("/inbox?handler=Assign", Form(c, "staffUserId", ""));
        Assert.Null((await StateAsync(c))!.AssignedStaffUserId);
        Assert.Empty(await RowsAsync(me, "mine"));
    }

    [Fact]
    public async Task AFollowerReadsTheInboxButCannotChangeIt()
    {
        var c = await CaseAsync();
        await TextAsync(c, "Hello?");
        var follower = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId, StaffRole.Follower);

        Assert.Equal([c.ProjectId.ToString()], await RowsAsync(follower));
        var refused = await follower.PostFormAsync("/inbox?handler=Flag", Form(c, "flagged", "true"), formPage: "/inbox");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/denied", refused.Headers.Location!.AbsolutePath);
        Assert.Null(await StateAsync(c));
    }

    [Fact]
    public async Task AFormWithoutTheAntiforgeryTokenChangesNothing()
    {
        var c = await CaseAsync();
        await TextAsync(c, "Hello?");
        var staff = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId);

        var forged = await staff.PostFormWithoutTokenAsync("/inbox?handler=Archive", Form(c, "archived", "true"));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(await StateAsync(c));
    }

    [Fact]
    public async Task AnotherFirmsStaffCannotSeeFlagArchiveAssignOrOpenAConversationById()
    {
        var c = await CaseAsync();
        await TextAsync(c, "Private question about my case.");
        var victim = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId);
        var hostileFirm = await app.NewTenantAsync();
        var hostile = await StaffSession.SignedInAsync(app, hostileFirm.CompanyId);
        var hostileId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == hostile.Email).Select(u => u.Id).SingleAsync());

        Assert.Empty(await RowsAsync(hostile));
        Assert.Equal(HttpStatusCode.NotFound, (await hostile.PostFormAsync("/inbox?handler=Flag", Form(c, "flagged", "true"), "/inbox")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hostile.PostFormAsync("/inbox?handler=Archive", Form(c, "archived", "true"), "/inbox")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await hostile.PostFormAsync("/inbox?handler=Assign", Form(c, "staffUserId", hostileId.ToString()), "/inbox")).StatusCode);
        await hostile.GetPageAsync($"/projects/{c.ProjectId}", HttpStatusCode.NotFound);

        Assert.Null(await StateAsync(c));
        Assert.Equal([c.ProjectId.ToString()], await RowsAsync(victim, "unread")); // still unread: the hostile "open" read nothing
        // Nor can the firm's own staff hand the conversation to the other firm's user.
        Assert.Equal(HttpStatusCode.NotFound,
            (await victim.PostFormAsync("/inbox?handler=Assign", Form(c, "staffUserId", hostileId.ToString()), "/inbox")).StatusCode);
        Assert.Null(await StateAsync(c));
    }
}
