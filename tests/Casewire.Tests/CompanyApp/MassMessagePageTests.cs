using System.Net;
using System.Text.Json.Nodes;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.CompanyApp;

/// <summary>
/// SPEC §12: the Company App's <c>/mass-messages</c> — the live count with the skipped and why, the preview, a
/// confirmation that states the count, send now or at a local time, the history with its counts, a page per mass
/// message with its recipients, cancel, copy, projects ticked in the list; Followers read; another firm sees nothing.
/// </summary>
public sealed class MassMessagePageTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    /// <summary>
    /// Ann on p1 and p2 (Personal Injury), Bo on p3 (Personal Injury, opted out, no email), Cy on p4 (Family Law):
    /// Personal Injury reaches Ann once and skips her repeat and Bo.
    /// </summary>
    async Task<(CasewireApp.Tenant Tenant, string AnnPhone)> FirmAsync()
    {
        var tenant = await app.NewTenantAsync();
        var (ann, bo) = (PartnerSetup.UniqueNumber(), PartnerSetup.UniqueNumber());
        await tenant.ContactAsync("ann", ann, firstName: "Ann");
        await tenant.ContactAsync("bo", bo, firstName: "Bo");
        await tenant.ContactAsync("cy", PartnerSetup.UniqueNumber(), firstName: "Cy");
        await tenant.ProjectAsync("p1", ["ann"], name: "Lee v. Harbor", phase: "Intake");
        await tenant.ProjectAsync("p2", ["ann"], name: "Lee estate", phase: "Discovery");
        await tenant.ProjectAsync("p3", ["bo"], name: "Bo's case");
        await tenant.ProjectAsync("p4", ["cy"], type: "Family Law");
        await app.WithDbAsync(async db =>
        {
            await OptOuts.SetAsync(db, tenant.CompanyId, bo, active: true, "STOP", app.Time.GetUtcNow(), CancellationToken.None);
            await db.SaveChangesAsync();
        });
        return (tenant, ann);
    }

    static Dictionary<string, string> Compose(string text, string when = "now", string? sendAt = null, params (string Field, string Value)[] filter)
    {
        var form = new Dictionary<string, string> { ["Form.Text"] = text, ["Form.When"] = when };
        if (sendAt is not null) form["Form.SendAt"] = sendAt;
        foreach (var (field, value) in filter) form[$"Form.{field}"] = value;
        return form;
    }

    static readonly (string, string) PersonalInjury = ("ProjectTypes", "Personal Injury");

    Task<List<MassMessage>> MassMessagesAsync(int companyId) =>
        app.WithDbAsync(db => db.MassMessages.AsNoTracking().Where(m => m.CompanyId == companyId).OrderBy(m => m.Id).ToListAsync());

    Task<List<OutboxItem>> ItemsAsync(int massId) =>
        app.WithDbAsync(db => db.OutboxItems.AsNoTracking().Where(o => o.MassMessageId == massId).OrderBy(o => o.Id).ToListAsync());

    static async Task<int> SentIdAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]);
    }

    /// <summary>A local time two days ahead at 09:30 in New York, the test firms' zone, as a datetime-local input gives it.</summary>
    string TwoDaysAhead() => TimeZoneInfo.ConvertTime(app.Time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("America/New_York"))
        .Date.AddDays(2).AddHours(9).AddMinutes(30).ToString("yyyy-MM-dd'T'HH:mm");

    [Fact]
    public async Task TheLiveCountGivesRecipientsTheSkippedWithTheReasonAndASamplePreview()
    {
        var (tenant, _) = await FirmAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.User);

        var response = await staff.PostFormAsync("/mass-messages/new?handler=Count",
            Compose("Hi {client.firstName}, about {project.name}: the office is closed Friday.", filter: PersonalInjury));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var count = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(1, (int)count["recipients"]!);
        Assert.Equal((1, 0, 1), ((int)count["skipped"]!["optedOut"]!, (int)count["skipped"]!["unreachable"]!, (int)count["skipped"]!["duplicate"]!));
        Assert.Equal("Hi Ann, about Lee v. Harbor: the office is closed Friday.", (string?)count["sample"]);
        Assert.Equal(1, (int)count["segments"]!);
        Assert.Empty(await MassMessagesAsync(tenant.CompanyId)); // counting writes nothing
    }

    [Fact]
    public async Task AnEmptyFilterIsRefusedAndNothingIsWritten()
    {
        var (tenant, _) = await FirmAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var review = await staff.PostFormAsync("/mass-messages/new?handler=Review", Compose("Hello everyone"));
        var send = await staff.PostFormAsync("/mass-messages/new?handler=Send", Compose("Hello everyone"));

        Assert.Equal(HttpStatusCode.OK, send.StatusCode);
        Assert.Contains("An empty filter would text every client", PageHtml.FieldError(await review.Content.ReadAsStringAsync(), "Filter"));
        Assert.Contains("An empty filter would text every client", PageHtml.FieldError(await send.Content.ReadAsStringAsync(), "Filter"));
        Assert.Empty(await MassMessagesAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task ReviewStatesTheCountAndSendWritesOneDeliveryPerClientAsTheSignedInUser()
    {
        var (tenant, annPhone) = await FirmAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.User);
        var form = Compose("Hi {client.firstName}, the office is closed Friday.", filter: PersonalInjury);

        var review = await (await staff.PostFormAsync("/mass-messages/new?handler=Review", form)).Content.ReadAsStringAsync();
        Assert.Contains("Send to 1 client", review);
        Assert.Contains("Ann Lee will read: “Hi Ann, the office is closed Friday.”", WebUtility.HtmlDecode(review));
        Assert.Empty(await MassMessagesAsync(tenant.CompanyId)); // reviewing writes nothing

        var id = await SentIdAsync(await staff.PostFormAsync("/mass-messages/new?handler=Send", form));

        var mass = Assert.Single(await MassMessagesAsync(tenant.CompanyId));
        Assert.Equal((id, 1, 1, 1), (mass.Id, mass.Recipients, mass.SkippedOptedOut, mass.SkippedDuplicate));
        Assert.Equal(staff.Email, mass.AuthorName);
        Assert.NotNull(mass.AuthorStaffUserId);
        var item = Assert.Single(await ItemsAsync(id));
        Assert.Equal((Channel.Sms, annPhone, "Hi Ann, the office is closed Friday."), (item.Channel, item.To, item.Body));
    }

    [Fact]
    public async Task TheHistoryAndTheDetailPageShowTheCountsMovingToSent()
    {
        var (tenant, _) = await FirmAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var id = await SentIdAsync(await staff.PostFormAsync("/mass-messages/new?handler=Send",
            Compose("Closed Friday.", filter: ("ProjectIds", "p1\np4"))));

        var before = await staff.GetPageAsync("/mass-messages");
        Assert.Equal([id.ToString()], PageHtml.Values(before, "data-mass-message"));
        Assert.Equal(["2", "0"], [CountIn(before, "queued"), CountIn(before, "sent")]);

        await app.DispatchAsync();

        var after = await staff.GetPageAsync("/mass-messages");
        Assert.Equal(["0", "2"], [CountIn(after, "queued"), CountIn(after, "sent")]);
        var detail = await staff.GetPageAsync($"/mass-messages/{id}");
        Assert.Equal(2, PageHtml.Stat(detail, "sent"));
        Assert.Equal(["sent", "sent"], PageHtml.Values(detail, "data-delivery-status"));
        Assert.Contains("Ann Lee", detail);
        Assert.Contains("Cy Lee", detail);
    }

    static string CountIn(string html, string status) =>
        System.Text.RegularExpressions.Regex.Match(html, $"data-count=\"{status}\">(\\d+)<").Groups[1].Value;

    [Fact]
    public async Task ALocalDateAndTimeIsReadInTheFirmsZoneAndCanBeCanceledBeforeItGoesOut()
    {
        var (tenant, _) = await FirmAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var local = TwoDaysAhead();

        var id = await SentIdAsync(await staff.PostFormAsync("/mass-messages/new?handler=Send",
            Compose("Closed Friday.", "at", local, PersonalInjury)));

        var mass = Assert.Single(await MassMessagesAsync(tenant.CompanyId));
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var wall = DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new DateTimeOffset(wall, newYork.GetUtcOffset(wall)), mass.SendAt);
        Assert.Equal(["scheduled"], PageHtml.Values(await staff.GetPageAsync("/mass-messages"), "data-status"));

        var canceled = await staff.PostFormAsync($"/mass-messages/{id}?handler=Cancel", new(), formPage: $"/mass-messages/{id}");

        Assert.Equal(HttpStatusCode.Redirect, canceled.StatusCode);
        Assert.All(await ItemsAsync(id), i => Assert.Equal(DeliveryStatus.Canceled, i.Status));
        var detail = await staff.GetPageAsync($"/mass-messages/{id}");
        Assert.Equal(1, PageHtml.Stat(detail, "canceled"));
        Assert.Equal(["canceled"], PageHtml.Values(detail, "data-status"));
        Assert.DoesNotContain("data-cancel", detail);
    }

    [Fact]
    public async Task WithinTheDeliveryWindowWaitsForTheFirmsNextOpening()
    {
        var (tenant, _) = await FirmAsync();
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var local = TimeZoneInfo.ConvertTime(app.Time.GetUtcNow(), newYork); // the fixture starts on a Tuesday at 10:00, and no test here moves the clock
        Assert.InRange(local.Hour, 0, 19);
        var opens = new TimeOnly(local.Hour + 2, 0);
        await app.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            (company.WindowStart, company.WindowEnd) = (opens, opens.AddHours(2));
            await db.SaveChangesAsync();
        });
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        await SentIdAsync(await staff.PostFormAsync("/mass-messages/new?handler=Send", Compose("Closed Friday.", "window", null, PersonalInjury)));

        var mass = Assert.Single(await MassMessagesAsync(tenant.CompanyId));
        var wall = local.Date.Add(opens.ToTimeSpan());
        Assert.Equal(new DateTimeOffset(wall, newYork.GetUtcOffset(wall)), mass.SendAt);
        Assert.True(mass.WithinDeliveryWindow);
        Assert.All(await ItemsAsync(mass.Id), i => Assert.Equal(mass.SendAt, i.DueAt));
    }

    [Fact]
    public async Task APastOrMissingLocalTimeIsRefused()
    {
        var (tenant, _) = await FirmAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var past = await staff.PostFormAsync("/mass-messages/new?handler=Send", Compose("Closed.", "at", "2020-01-01T09:00", PersonalInjury));
        var missing = await staff.PostFormAsync("/mass-messages/new?handler=Send", Compose("Closed.", "at", null, PersonalInjury));

        Assert.Contains("has passed", PageHtml.FieldError(await past.Content.ReadAsStringAsync(), "SendAt"));
        Assert.Contains("Choose the date and time", PageHtml.FieldError(await missing.Content.ReadAsStringAsync(), "SendAt"));
        Assert.Empty(await MassMessagesAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task CopyStartsANewOneFromAnOldAndTickedProjectsFillTheFilter()
    {
        var (tenant, _) = await FirmAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var id = await SentIdAsync(await staff.PostFormAsync("/mass-messages/new?handler=Send",
            Compose("Our office has moved to 5 Main St.", filter: [PersonalInjury, ("Statuses", "In Progress")])));

        var copy = await staff.GetPageAsync($"/mass-messages/new?copy={id}");
        Assert.Contains(">Our office has moved to 5 Main St.</textarea>", copy);
        Assert.Contains("<option value=\"Personal Injury\" selected=\"selected\">", copy);
        Assert.Contains("value=\"In Progress\" checked=\"checked\"", copy);

        Assert.Contains("name=\"projects\" value=\"p1\"", await staff.GetPageAsync("/projects"));
        var ticked = await staff.GetPageAsync("/mass-messages/new?projects=p1&projects=p3");
        Assert.Contains(">p1\np3</textarea>", WebUtility.HtmlDecode(ticked));
    }

    [Fact]
    public async Task TheComposerOffersTheFirmsTemplates()
    {
        var (tenant, _) = await FirmAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        await staff.PostFormAsync("/settings/templates", new() { ["Name"] = "Closed", ["Text"] = "Hi {client.firstName}, we are closed Friday." });

        var page = await staff.GetPageAsync("/mass-messages/new");

        Assert.Contains("data-insert-template", page);
        Assert.Contains("<option value=\"Hi {client.firstName}, we are closed Friday.\">Closed</option>", page);
    }

    [Fact]
    public async Task AFollowerReadsTheHistoryButCannotSendOrCancel()
    {
        var (tenant, _) = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var id = await SentIdAsync(await admin.PostFormAsync("/mass-messages/new?handler=Send",
            Compose("Closed.", "at", TwoDaysAhead(), PersonalInjury)));
        var follower = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower);

        Assert.Equal([id.ToString()], PageHtml.Values(await follower.GetPageAsync("/mass-messages"), "data-mass-message"));
        Assert.Equal(HttpStatusCode.Redirect, (await follower.Http.GetAsync("/mass-messages/new")).StatusCode);
        var send = await follower.PostFormAsync("/mass-messages/new?handler=Send", Compose("Again.", filter: PersonalInjury), formPage: "/mass-messages");
        var cancel = await follower.PostFormAsync($"/mass-messages/{id}?handler=Cancel", new(), formPage: $"/mass-messages/{id}");

        Assert.Equal("/denied", send.Headers.Location!.AbsolutePath);
        Assert.Equal("/denied", cancel.Headers.Location!.AbsolutePath);
        Assert.Single(await MassMessagesAsync(tenant.CompanyId));
        Assert.All(await ItemsAsync(id), i => Assert.Equal(DeliveryStatus.Pending, i.Status));
    }

    [Fact]
    public async Task AFormWithoutTheAntiforgeryTokenSendsNothing()
    {
        var (tenant, _) = await FirmAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var forged = await staff.PostFormWithoutTokenAsync("/mass-messages/new?handler=Send", Compose("Closed.", filter: PersonalInjury));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Empty(await MassMessagesAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task AnotherFirmCannotSeeCancelCopyOrReachTheFirmsClients()
    {
        var (victim, _) = await FirmAsync();
        var victimStaff = await StaffSession.SignedInAsync(app, victim.CompanyId);
        var id = await SentIdAsync(await victimStaff.PostFormAsync("/mass-messages/new?handler=Send",
            Compose("Victim's private notice.", "at", TwoDaysAhead(), PersonalInjury)));
        var hostileFirm = await app.NewTenantAsync();
        await hostileFirm.ContactAsync("x", PartnerSetup.UniqueNumber());
        await hostileFirm.ProjectAsync("mine", ["x"]);
        var hostile = await StaffSession.SignedInAsync(app, hostileFirm.CompanyId);

        Assert.Empty(PageHtml.Values(await hostile.GetPageAsync("/mass-messages"), "data-mass-message"));
        await hostile.GetPageAsync($"/mass-messages/{id}", HttpStatusCode.NotFound);
        await hostile.GetPageAsync($"/mass-messages/new?copy={id}", HttpStatusCode.NotFound);
        var cancel = await hostile.PostFormAsync($"/mass-messages/{id}?handler=Cancel", new(), formPage: "/mass-messages");
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.All(await ItemsAsync(id), i => Assert.Equal(DeliveryStatus.Pending, i.Status));

        // The victim's project ids match nothing of the hostile firm's, and its send reaches none of the victim's clients.
        var count = JsonNode.Parse(await (await hostile.PostFormAsync("/mass-messages/new?handler=Count",
            Compose("Hi", filter: ("ProjectIds", "p1\np2\np3\np4")), "/mass-messages/new")).Content.ReadAsStringAsync())!;
        Assert.Equal(0, (int)count["recipients"]!);
        var send = await hostile.PostFormAsync("/mass-messages/new?handler=Send", Compose("Hi", filter: ("ProjectIds", "p1\np2")));
        Assert.Contains("matches no client", PageHtml.FieldError(await send.Content.ReadAsStringAsync(), "Filter"));
        Assert.Empty(await MassMessagesAsync(hostileFirm.CompanyId));
    }
}
