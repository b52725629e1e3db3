using System.Net;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Casewire.Tests.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.CompanyApp;

/// <summary>
/// Settings → Integrations → Webhooks (SPEC §8; README "Webhooks"): an admin adds an endpoint in the app and a real
/// receiver gets signed events for it with the secret the app showed once; deletes it, re-enables it after it was disabled,
/// reads its calls; nobody else may, and nothing of another company's is reachable by id.
/// </summary>
public sealed class WebhookCardTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    const string Page = "/settings/integrations";
    WebhookReceiver Receiver => app.Receiver;

    /// <summary>A company with client c1 on project p1 in phase Intake (no automatic texts).</summary>
    Task<CasewireApp.Tenant> FirmAsync() => app.ProjectWithClientsAsync("p1", ("c1", PartnerSetup.UniqueNumber(), null));

    /// <summary>What makes an event: p1 moves to <paramref name="phase"/>, and the outbox sends what is due.</summary>
    async Task MoveAsync(CasewireApp.Tenant tenant, string phase)
    {
        await tenant.ProjectAsync("p1", ["c1"], phase: phase);
        await app.DispatchAsync();
    }

    /// <summary>Submits the form; a saved endpoint's redirect is followed to the page that shows its secret.</summary>
    static async Task<HttpResponseMessage> AddAsync(StaffSession staff, string url, string? events = "*", string? description = null)
    {
        var form = new Dictionary<string, string> { ["WebhookUrl"] = url };
        if (events is not null) form["WebhookEvents"] = events;
        if (description is not null) form["WebhookDescription"] = description;
        return await staff.FollowAsync(await staff.PostFormAsync(Page + "?handler=CreateWebhook", form));
    }

    /// <summary>An endpoint added in the app at a fresh path of the receiver, which then verifies what arrives with the secret the page showed.</summary>
    async Task<(int Id, string Path, string Secret)> AddedAsync(CasewireApp.Tenant tenant, StaffSession admin, string events = "*")
    {
        var path = Receiver.NewPath();
        var response = await AddAsync(admin, Receiver.UrlOf(path), events);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var secret = PageHtml.TextOf(await response.Content.ReadAsStringAsync(), "data-webhook-secret")
                     ?? throw new Xunit.Sdk.XunitException("the page did not show the new endpoint's secret");
        Receiver.Trust(path, secret);
        var id = await app.WithDbAsync(db => db.WebhookEndpoints.Where(e => e.CompanyId == tenant.CompanyId && e.Url == Receiver.UrlOf(path))
            .Select(e => e.Id).SingleAsync());
        return (id, path, secret);
    }

    [Fact]
    public async Task AddingAnEndpointRedirectsSoAReloadNeitherAddsASecondOneNorShowsTheSecretAgain()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var post = await admin.PostFormAsync(Page + "?handler=CreateWebhook",
            new() { ["WebhookUrl"] = Receiver.UrlOf(Receiver.NewPath()), ["WebhookEvents"] = "*" });
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var shown = await admin.Http.GetAsync(post.Headers.Location);
        Assert.Contains("no-store", shown.Headers.CacheControl?.ToString());
        Assert.NotNull(PageHtml.TextOf(await shown.Content.ReadAsStringAsync(), "data-webhook-secret"));

        var reloaded = await admin.Http.GetAsync(post.Headers.Location);
        Assert.Null(PageHtml.TextOf(await reloaded.Content.ReadAsStringAsync(), "data-webhook-secret"));
        Assert.Equal(1, await EndpointCountAsync(tenant.CompanyId));
    }

    Task<int> EndpointCountAsync(int companyId) => app.WithDbAsync(db => db.WebhookEndpoints.CountAsync(e => e.CompanyId == companyId));

    Task<WebhookEndpoint?> RowAsync(int id) => app.WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id));

    /// <summary>The table row marked <c>attribute="value"</c>.</summary>
    static string RowOf(string html, string attribute, string value)
    {
        var start = html.IndexOf($"<tr {attribute}=\"{value}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row {attribute}=\"{value}\" on the page");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task AnEndpointAddedInTheAppReceivesSignedEventsAndItsSecretIsShownOnlyInTheResponseThatAddedIt()
    {
        var tenant = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var path = Receiver.NewPath();

        var response = await AddAsync(admin, Receiver.UrlOf(path), "project.phase_changed", "Clio sync");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var secret = PageHtml.TextOf(await response.Content.ReadAsStringAsync(), "data-webhook-secret");
        Assert.NotNull(secret);
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);
        var stored = await app.WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.CompanyId == tenant.CompanyId));
        Assert.Equal((Receiver.UrlOf(path), "project.phase_changed", "Clio sync"), (stored.Url, stored.Events, stored.Description));

        // The receiver checks the signature with the secret read from the page, by its own implementation of the specification.
        Receiver.Trust(path, secret);
        await MoveAsync(tenant, "Treatment");
        var request = Assert.Single(Receiver.RequestsTo(path));
        Assert.True(request.SignatureValid);
        Assert.Equal(200, request.AnsweredWith);
        Assert.Equal("project.phase_changed", request.Type);
        Assert.Equal("p1", (string?)request.Data["projectId"]);

        // From now on the list shows the endpoint, never its secret; nor does its calls page.
        var list = await admin.GetPageAsync(Page);
        var row = RowOf(list, "data-webhook-id", stored.Id.ToString());
        Assert.Contains(Receiver.UrlOf(path), row);
        Assert.Contains("Clio sync", row);
        Assert.Contains("project.phase_changed", row);
        Assert.Contains("<span class=\"badge ok\">enabled</span>", row);
        Assert.Contains($"datetime=\"{stored.CreatedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\"", row);
        // Decoded first: the page writes the secret's base64 '+' and '=' as character references.
        Assert.DoesNotContain(secret, WebUtility.HtmlDecode(list));
        Assert.Null(PageHtml.TextOf(list, "data-webhook-secret"));
        Assert.DoesNotContain(secret, WebUtility.HtmlDecode(await admin.GetPageAsync($"{Page}/webhooks/{stored.Id}")));
    }

    [Fact]
    public async Task AllEventsStoresNoFilterSoTheEndpointReceivesEveryType()
    {
        var tenant = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var (id, path, _) = await AddedAsync(tenant, admin, "*");
        await MoveAsync(tenant, "Treatment");

        Assert.Null((await RowAsync(id))!.Events);
        Assert.True(Assert.Single(Receiver.RequestsTo(path)).SignatureValid);
        Assert.Contains("all events", RowOf(await admin.GetPageAsync(Page), "data-webhook-id", id.ToString()));
    }

    [Theory]
    [InlineData("", "The URL is required")]
    [InlineData("cms.example.com/hooks", "is not an absolute http(s) URL")]
    [InlineData("ftp://cms.example.com/hooks", "is not an absolute http(s) URL")]
    [InlineData("https://user:secret@cms.example.com/hooks", "carries a user name or password")]
    public async Task ABadUrlIsRefusedNextToTheFieldAndNothingIsSaved(string url, string problem)
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var response = await AddAsync(admin, url, "message.received");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(problem, PageHtml.FieldError(html, "WebhookUrl"));
        Assert.Equal("", PageHtml.FieldError(html, "WebhookEvents"));
        Assert.Null(PageHtml.TextOf(html, "data-webhook-secret"));
        Assert.Contains("value=\"message.received\" checked=\"checked\"", html); // what was ticked stays ticked
        Assert.Equal(0, await EndpointCountAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task AnEndpointWithoutEventsOrWithAnUnknownOneIsRefusedNextToTheEventsAndNothingIsSaved()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var none = await (await AddAsync(admin, "https://cms.example.com/hooks", events: null)).Content.ReadAsStringAsync();
        var unknown = await (await AddAsync(admin, "https://cms.example.com/hooks", events: "message.sent")).Content.ReadAsStringAsync();

        Assert.Contains("Choose the events to send", PageHtml.FieldError(none, "WebhookEvents"));
        Assert.Contains("message.sent", PageHtml.FieldError(unknown, "WebhookEvents"));
        Assert.Equal("", PageHtml.FieldError(none, "WebhookUrl"));
        Assert.Null(PageHtml.TextOf(none, "data-webhook-secret"));
        Assert.Equal(0, await EndpointCountAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task DeletingAnEndpointInTheAppStopsItsEvents()
    {
        var tenant = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var (id, path, _) = await AddedAsync(tenant, admin);

        var deleted = await admin.PostFormAsync(Page + "?handler=DeleteWebhook", new() { ["id"] = id.ToString() });

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Null(await RowAsync(id));
        var list = await admin.GetPageAsync(Page);
        Assert.Contains("deleted", list);
        Assert.DoesNotContain($"data-webhook-id=\"{id}\"", list);
        await MoveAsync(tenant, "Treatment");
        Assert.Empty(Receiver.RequestsTo(path));
    }

    [Theory]
    [InlineData(nameof(StaffRole.Follower))]
    [InlineData(nameof(StaffRole.User))]
    public async Task OnlyAnAdminMayAddDeleteOrReadEndpointsOthersAreDeniedAndNothingChanges(string roleName)
    {
        var role = Enum.Parse<StaffRole>(roleName);
        var tenant = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var (id, _, _) = await AddedAsync(tenant, admin);
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, role);

        // The forms' antiforgery token comes from a page the user may open (the sign-out form of the dashboard).
        var add = await staff.PostFormAsync(Page + "?handler=CreateWebhook",
            new() { ["WebhookUrl"] = "https://sneaky.example/hooks", ["WebhookEvents"] = "*" }, formPage: "/");
        var delete = await staff.PostFormAsync(Page + "?handler=DeleteWebhook", new() { ["id"] = id.ToString() }, formPage: "/");
        var calls = await staff.Http.GetAsync($"{Page}/webhooks/{id}");

        foreach (var response in new[] { add, delete, calls })
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/denied", response.Headers.Location!.AbsolutePath);
        }
        Assert.Equal(1, await EndpointCountAsync(tenant.CompanyId));
        Assert.NotNull(await RowAsync(id));
    }

    [Fact]
    public async Task AnotherCompanysEndpointCannotBeDeletedEnabledOrReadByItsId()
    {
        var a = await app.NewTenantAsync();
        var b = await FirmAsync();
        var adminOfA = await StaffSession.SignedInAsync(app, a.CompanyId);
        var adminOfB = await StaffSession.SignedInAsync(app, b.CompanyId);
        var (id, _, _) = await AddedAsync(b, adminOfB);
        var disabledAt = app.Time.GetUtcNow();
        await app.WithDbAsync(async db =>
        {
            var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.Id == id);
            (endpoint.DisabledAt, endpoint.DisabledReason) = (disabledAt, "HTTP 410 Gone: the receiver wants no more events");
            await db.SaveChangesAsync();
        });

        var delete = await adminOfA.PostFormAsync(Page + "?handler=DeleteWebhook", new() { ["id"] = id.ToString() });
        var enable = await adminOfA.PostFormAsync(Page + "?handler=EnableWebhook", new() { ["id"] = id.ToString() });
        var calls = await adminOfA.Http.GetAsync($"{Page}/webhooks/{id}");

        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, enable.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, calls.StatusCode);
        var row = await RowAsync(id);
        Assert.NotNull(row);
        Assert.NotNull(row.DisabledAt); // still disabled
        Assert.DoesNotContain($"data-webhook-id=\"{id}\"", await adminOfA.GetPageAsync(Page));
        Assert.Contains($"data-webhook-id=\"{id}\"", await adminOfB.GetPageAsync(Page));
    }

    [Fact]
    public async Task ADisabledEndpointShowsWhyAndWhenAndReEnablingItInTheAppSendsNewEventsAgain()
    {
        var tenant = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var (id, path, _) = await AddedAsync(tenant, admin);
        Receiver.FailNext(path, 1, HttpStatusCode.Gone);

        await MoveAsync(tenant, "Treatment"); // 410: disabled at once
        var disabled = await RowAsync(id);
        Assert.NotNull(disabled!.DisabledAt);
        var row = RowOf(await admin.GetPageAsync(Page), "data-webhook-id", id.ToString());
        Assert.Contains("<span class=\"badge bad\">disabled</span>", row);
        Assert.Contains("410 Gone", PageHtml.TextOf(row, "data-disabled-reason"));
        Assert.Equal(disabled.DisabledReason, PageHtml.TextOf(row, "data-disabled-reason"));
        Assert.Contains($"datetime=\"{disabled.DisabledAt.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\"", row);
        Assert.Contains("handler=EnableWebhook", row);

        var enabled = await admin.PostFormAsync(Page + "?handler=EnableWebhook", new() { ["id"] = id.ToString() });

        Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        Assert.Null((await RowAsync(id))!.DisabledAt);
        var list = await admin.GetPageAsync(Page);
        Assert.Contains("enabled: new events are sent to it again", list);
        row = RowOf(list, "data-webhook-id", id.ToString());
        Assert.Contains("<span class=\"badge ok\">enabled</span>", row);
        Assert.DoesNotContain("handler=EnableWebhook", row);
        await MoveAsync(tenant, "Intake");
        var requests = Receiver.RequestsTo(path);
        Assert.Equal([410, 200], requests.Select(r => r.AnsweredWith));
        Assert.True(requests[1].SignatureValid);
        Assert.Equal("Intake", (string?)requests[1].Data["phase"]!["name"]);
    }

    [Fact]
    public async Task TheCallsPageListsEachCallWithItsEventWebhookIdStatusAttemptsAndLastError()
    {
        var tenant = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var (id, path, _) = await AddedAsync(tenant, admin);
        var empty = await admin.GetPageAsync($"{Page}/webhooks/{id}");
        Assert.Contains("No calls yet.", empty);

        Receiver.FailNext(path, 1);
        await MoveAsync(tenant, "Treatment"); // 500
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.DispatchAsync(); // retried: 200
        Receiver.FailNext(path, 1000, HttpStatusCode.ServiceUnavailable);
        await MoveAsync(tenant, "Intake"); // 503, waiting to be retried

        var requests = Receiver.RequestsTo(path);
        Assert.Equal([500, 200, 503], requests.Select(r => r.AnsweredWith));
        var html = await admin.GetPageAsync($"{Page}/webhooks/{id}");

        Assert.Contains(Receiver.UrlOf(path), html);
        Assert.Equal([requests[2].WebhookId, requests[0].WebhookId], PageHtml.Values(html, "data-call-id")); // newest first
        var failing = RowOf(html, "data-call-id", requests[2].WebhookId);
        Assert.Contains("project.phase_changed", failing);
        Assert.Equal("queued", PageHtml.TextOf(failing, "data-call-status"));
        Assert.Equal("1", PageHtml.TextOf(failing, "data-call-attempts"));
        Assert.Contains("HTTP 503", failing);
        var delivered = RowOf(html, "data-call-id", requests[0].WebhookId);
        Assert.Equal("sent", PageHtml.TextOf(delivered, "data-call-status"));
        Assert.Equal("2", PageHtml.TextOf(delivered, "data-call-attempts"));
        Assert.Contains("#1", delivered);
        Assert.Contains("#2", delivered);
        var raised = await app.WithDbAsync(db => db.OutboxItems.Where(o => o.WebhookId == requests[0].WebhookId).Select(o => o.CreatedAt).SingleAsync());
        Assert.Contains($"datetime=\"{raised.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\"", delivered);
        // Times read in the company's zone, with its abbreviation.
        Assert.Matches(@"<time datetime=""[^""]+"">[A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2} [AP]M [A-Z]{3,4}</time>", delivered);
    }
}
