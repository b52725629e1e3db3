using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Portal;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Casewire.Tests.Portal;

/// <summary>
/// Short portal links (SPEC §11): <c>{base}/p/{code}</c>, ten random base62 characters stored only as a hash with the
/// client, the case and the expiry. Texts carry them (a welcome fits two segments), they expire after
/// <c>Portal:LinkLifetime</c>, the company-wide revoke covers them, an unknown code looks exactly like an expired one,
/// and a code opens its own client's case only.
/// </summary>
public sealed partial class ShortLinkTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    [GeneratedRegex(@"https?://[^/\s]+(?<path>/p/(?<code>[A-Za-z0-9]{10}))(?=\s|$)")]
    private static partial Regex ShortLink();

    /// <summary>A firm whose automatic texts go out at once, with client c1 on project p1.</summary>
    async Task<(CasewireApp.Tenant Tenant, int Project, int Contact)> CaseAsync(string phone, string firstName = "Ann", string caseName = "Case p1",
        string? portalUrl = null, string firmName = "Acme Law")
    {
        var tenant = await app.NewTenantAsync();
        await app.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            (company.DeliveryWindow, company.PortalBaseUrl, company.Name) = (DeliveryWindow.Immediate, portalUrl, firmName);
            await db.SaveChangesAsync();
        });
        var contact = await tenant.ContactAsync("c1", phone: phone, firstName: firstName, lastName: "Garcia");
        var project = await tenant.ProjectAsync("p1", ["c1"], name: caseName);
        return (tenant, project, contact);
    }

    TimeSpan Lifetime => app.Services.GetRequiredService<IOptions<PortalOptions>>().Value.LinkLifetime;

    [Fact]
    public async Task TheDefaultWelcomeCarriesAShortLinkAndFitsTwoGsm7SegmentsForATypicalNameAndCase()
    {
        const string host = "clients.reyes-park-law.us";
        Assert.Equal(25, host.Length);
        var tenant = await app.NewTenantAsync();
        await app.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            (company.DeliveryWindow, company.PortalBaseUrl, company.Name) = (DeliveryWindow.Immediate, "https://" + host, "Reyes & Park Law");
            await db.SaveChangesAsync();
        });
        await tenant.ContactAsync("maria", phone: "+15557770001", firstName: "Maria", lastName: "Garcia");

        await tenant.ProjectAsync("garcia", ["maria"], name: "Garcia v. Metro Transit", milestones: true);
        await app.DispatchAsync();

        var text = (string)Assert.Single(app.SinkLines(), l => (string?)l["to"] == "+15557770001")["text"]!;
        var link = ShortLink().Match(text);
        Assert.True(link.Success, text);
        Assert.StartsWith($"https://{host}/p/", link.Value);
        Assert.StartsWith("Hi Maria, this is Reyes & Park Law. We will text you updates on Garcia v. Metro Transit here.", text);
        Assert.True(SmsSegments.IsGsm7(text), text);
        Assert.True(SmsSegments.Count(text) <= 2, $"{SmsSegments.Count(text)} segments: {text}");
        var segments = await app.WithDbAsync(db => db.OutboxItems.Where(o => o.CompanyId == tenant.CompanyId && o.Channel == Channel.Sms)
            .Select(o => o.Segments).SingleAsync());
        Assert.Equal<int?>(SmsSegments.Count(text), segments);
        // Opened from the text, it is Maria's case.
        Assert.Contains("Garcia v. Metro Transit", await app.ClientBrowser().GetPageAsync(link.Groups["path"].Value));
    }

    [Fact]
    public async Task ACodeIsTenRandomBase62CharactersStoredOnlyAsItsHashWithClientCaseAndExpiry()
    {
        var (tenant, project, contact) = await CaseAsync("+15557770002");

        var path = await app.ShortPathAsync(tenant.CompanyId, project, contact);
        var other = await app.ShortPathAsync(tenant.CompanyId, project, contact);

        var code = path["/p/".Length..];
        Assert.Matches("^[A-Za-z0-9]{10}$", code);
        Assert.NotEqual(path, other);
        var stored = await app.WithDbAsync(db => db.PortalShortLinks.AsNoTracking().Where(l => l.CompanyId == tenant.CompanyId).OrderBy(l => l.Id).ToListAsync());
        Assert.Equal(2, stored.Count);
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(code)), stored[0].CodeHash);
        Assert.Equal((project, contact), (stored[0].ProjectId, stored[0].ContactId));
        Assert.Equal(stored[0].IssuedAt + Lifetime, stored[0].ExpiresAt);
        Assert.DoesNotContain(Encoding.ASCII.GetBytes(code), stored.Select(s => s.CodeHash));
    }

    [Fact]
    public async Task AShortLinkWorksForItsLifetimeThenAsksForAFreshOneThatGoesToTheClientOnly()
    {
        var (tenant, project, contact) = await CaseAsync("+15557770003");
        var path = await app.ShortPathAsync(tenant.CompanyId, project, contact);

        app.Time.Advance(Lifetime - TimeSpan.FromMinutes(1));
        Assert.Contains("Case p1", await app.ClientBrowser().GetPageAsync(path));
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var browser = app.ClientBrowser();
        var expired = await browser.GetPageAsync(path, HttpStatusCode.NotFound);

        Assert.Contains("This link no longer works", expired);
        Assert.DoesNotContain("Case p1", expired);
        Assert.Contains("Send me a new link", expired);
        var token = StaffSession.AntiforgeryToken(expired)!;
        var asked = await browser.PostFormWithoutTokenAsync(path + "?handler=NewLink", new() { ["__RequestVerificationToken"] = token });
        Assert.Contains("a new one is on its way", await asked.Content.ReadAsStringAsync());
        await app.DispatchAsync();
        var text = (string)Assert.Single(app.SinkLines(), l => (string?)l["to"] == "+15557770003")["text"]!;
        var fresh = ShortLink().Match(text).Groups["path"].Value;
        Assert.Contains("Case p1", await app.ClientBrowser().GetPageAsync(fresh));
    }

    [Fact]
    public async Task AnUnknownCodeARevokedOneAndAnExpiredOneGetTheSamePage()
    {
        var (tenant, project, contact) = await CaseAsync("+15557770004");
        var expiring = await app.ShortPathAsync(tenant.CompanyId, project, contact);
        app.Time.Advance(Lifetime);
        var revoked = await app.ShortPathAsync(tenant.CompanyId, project, contact);
        await app.WithDbAsync(db => db.Companies.Where(c => c.Id == tenant.CompanyId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.PortalLinkVersion, c => c.PortalLinkVersion + 1)));

        var pages = new List<string>();
        foreach (var path in new[] { expiring, revoked, "/p/" + new string('Q', 10), "/p/AAAA" })
            pages.Add(Regex.Replace(await app.ClientBrowser().GetPageAsync(path, HttpStatusCode.NotFound), "value=\"[^\"]+\"", "value=\"…\""));

        Assert.All(pages, p => Assert.Equal(pages[0], p));
        Assert.Contains("Send me a new link", pages[0]);
        Assert.DoesNotContain(tenant.Slug, pages[0]);

        // Asking on the revoked one answers the same and sends nothing (a firm revokes because links leaked).
        var browser = app.ClientBrowser();
        var token = StaffSession.AntiforgeryToken(await browser.GetPageAsync(revoked, HttpStatusCode.NotFound))!;
        var asked = await browser.PostFormWithoutTokenAsync(revoked + "?handler=NewLink", new() { ["__RequestVerificationToken"] = token });
        Assert.Contains("a new one is on its way", await asked.Content.ReadAsStringAsync());
        await app.DispatchAsync();
        Assert.DoesNotContain(app.SinkLines(), l => (string?)l["to"] == "+15557770004");
    }

    [Fact]
    public async Task HousekeepingDeletesALinksRowOnlyLongAfterItExpiredSoItsPageCanOfferANewLinkUntilThen()
    {
        var (tenant, project, contact) = await CaseAsync("+15557770010");
        var old = await app.ShortPathAsync(tenant.CompanyId, project, contact);
        var housekeeping = app.Services.GetRequiredService<Housekeeping>();
        Task<List<PortalShortLink>> StoredAsync() =>
            app.WithDbAsync(db => db.PortalShortLinks.AsNoTracking().Where(l => l.CompanyId == tenant.CompanyId).OrderBy(l => l.Id).ToListAsync());

        // Expired long ago, but not yet past what is kept: the row stays and its page still offers a new link.
        app.Time.Advance(Lifetime + PortalShortLink.KeptAfterExpiry - TimeSpan.FromMinutes(1));
        var recent = await app.ShortPathAsync(tenant.CompanyId, project, contact);
        await housekeeping.SweepAsync(CancellationToken.None);
        Assert.Equal(2, (await StoredAsync()).Count);
        Assert.Contains("Send me a new link", await app.ClientBrowser().GetPageAsync(old, HttpStatusCode.NotFound));

        app.Time.Advance(TimeSpan.FromMinutes(1));
        var deleted = await housekeeping.SweepAsync(CancellationToken.None);

        Assert.True(deleted >= 1);
        var kept = Assert.Single(await StoredAsync());
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(recent["/p/".Length..])), kept.CodeHash);
        // The old code now reads as any unknown one; the recent link still opens the case.
        Assert.Contains("This link no longer works", await app.ClientBrowser().GetPageAsync(old, HttpStatusCode.NotFound));
        Assert.Contains("Case p1", await app.ClientBrowser().GetPageAsync(recent));
    }

    [Fact]
    public async Task TheCompanyWideRevokeRefusesShortAndLongLinksAlikeAndNewOnesWork()
    {
        var (tenant, project, contact) = await CaseAsync("+15557770005");
        var shortPath = await app.ShortPathAsync(tenant.CompanyId, project, contact);
        var longPath = await app.PortalPathAsync(tenant.CompanyId, project, contact);
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var revoke = await admin.PostFormAsync("/settings?handler=RevokeLinks", new() { ["ConfirmRevokeLinks"] = "true" }, formPage: "/settings");

        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.DoesNotContain("Case p1", await app.ClientBrowser().GetPageAsync(shortPath, HttpStatusCode.NotFound));
        Assert.DoesNotContain("Case p1", await app.ClientBrowser().GetPageAsync(longPath, HttpStatusCode.NotFound));
        Assert.Contains("Case p1", await app.ClientBrowser().GetPageAsync(await app.ShortPathAsync(tenant.CompanyId, project, contact)));
    }

    [Fact]
    public async Task ACodeOpensOnlyItsOwnClientsCaseAndARepliesLandThere()
    {
        // Two firms with the same external ids; each code opens its own firm's case for its own client.
        var (ours, ourProject, ourClient) = await CaseAsync("+15557770006", caseName: "Ours v. Them", firmName: "Our Firm");
        var (theirs, theirProject, theirClient) = await CaseAsync("+15557770007", caseName: "Theirs v. Us", firmName: "Their Firm");
        var ourPath = await app.ShortPathAsync(ours.CompanyId, ourProject, ourClient);
        await app.ShortPathAsync(theirs.CompanyId, theirProject, theirClient);

        var page = await app.ClientBrowser().GetPageAsync(ourPath);
        Assert.Contains("Ours v. Them", page);
        Assert.DoesNotContain("Theirs v. Us", page);
        Assert.DoesNotContain("Their Firm", page);
        await app.ReplyAsync(ourPath, "Sent through my link");

        var reply = await app.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.Text == "Sent through my link"));
        Assert.Equal((ours.CompanyId, ourProject, ourClient), (reply.CompanyId, reply.ProjectId!.Value, reply.AuthorContactId!.Value));

        // Taken off the case, the client's code opens nothing.
        await ours.ContactAsync("c2", phone: "+15557770008");
        await ours.ProjectAsync("p1", ["c2"], name: "Ours v. Them");
        await app.ClientBrowser().GetPageAsync(ourPath, HttpStatusCode.NotFound);
    }
}
