using System.Net;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.CompanyApp;

/// <summary>Settings → Integrations (SPEC §8): API tokens created, shown once, listed by prefix, revoked.</summary>
public sealed class IntegrationsTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    const string Page = "/settings/integrations";

    Task<int> TokenCountAsync(int companyId) => app.WithDbAsync(db => db.ApiTokens.CountAsync(t => t.CompanyId == companyId));

    async Task<(HttpResponseMessage Response, string Html)> CreateTokenAsync(StaffSession staff, string name)
    {
        var response = await staff.FollowAsync(await staff.PostFormAsync(Page + "?handler=Create", new() { ["TokenName"] = name }));
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(nameof(StaffRole.Follower))]
    [InlineData(nameof(StaffRole.User))]
    public async Task OnlyAnAdminMayOpenIntegrationsOrCreateATokenOthersAreDeniedAndNothingIsCreated(string roleName)
    {
        var role = Enum.Parse<StaffRole>(roleName);
        var tenant = await app.NewTenantAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, role);
        var before = await TokenCountAsync(tenant.CompanyId);

        var page = await staff.Http.GetAsync(Page);
        // The form's antiforgery token comes from a page the user may open (the sign-out form of the dashboard).
        var post = await staff.PostFormAsync(Page + "?handler=Create", new() { ["TokenName"] = "Sneaky" }, formPage: "/");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/denied", page.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("/denied", post.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Http.GetAsync(post.Headers.Location)).StatusCode);
        Assert.Equal(before, await TokenCountAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task CreatingATokenRedirectsSoAReloadNeitherMakesASecondOneNorShowsTheSecretAgain()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var before = await TokenCountAsync(tenant.CompanyId); // the tenant's own API token

        var post = await admin.PostFormAsync(Page + "?handler=Create", new() { ["TokenName"] = "Clio sync" });
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal(Page, post.Headers.Location!.OriginalString);
        var shown = await admin.Http.GetAsync(post.Headers.Location);
        Assert.Contains("no-store", shown.Headers.CacheControl?.ToString());
        Assert.NotNull(PageHtml.TextOf(await shown.Content.ReadAsStringAsync(), "data-token"));

        var reloaded = await admin.Http.GetAsync(post.Headers.Location);
        Assert.Null(PageHtml.TextOf(await reloaded.Content.ReadAsStringAsync(), "data-token"));
        Assert.Equal(before + 1, await TokenCountAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task ATokenCreatedInTheAppWorksAgainstTheApiAndIsShownInFullOnlyOnce()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var (response, html) = await CreateTokenAsync(admin, "Clio sync");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var secret = PageHtml.TextOf(html, "data-token");
        Assert.NotNull(secret);
        Assert.Matches("^cw_[0-9A-Za-z]{40}$", secret);

        var me = await (await app.ClientFor(secret).GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(tenant.Slug, (string?)me["company"]!["slug"]);
        Assert.Equal("Clio sync", (string?)me["token"]!["name"]);

        // From now on the token is known by its prefix only.
        var list = await admin.GetPageAsync(Page);
        Assert.Contains("Clio sync", list);
        Assert.Contains(secret[..11], list);
        Assert.DoesNotContain(secret, list);
        Assert.Null(PageHtml.TextOf(list, "data-token"));
        Assert.False(await app.WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.Hash == secret || t.Prefix == secret)));
    }

    [Fact]
    public async Task RevokingATokenInTheAppMakesTheApiAnswer401()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var secret = PageHtml.TextOf((await CreateTokenAsync(admin, "Old sync")).Html, "data-token")!;
        var id = await app.WithDbAsync(db => db.ApiTokens.Where(t => t.CompanyId == tenant.CompanyId && t.Name == "Old sync").Select(t => t.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.OK, (await app.ClientFor(secret).GetAsync("/partner/v2/me")).StatusCode);

        var revoked = await admin.PostFormAsync(Page + "?handler=Revoke", new() { ["id"] = id.ToString() });

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientFor(secret).GetAsync("/partner/v2/me")).StatusCode);
        var list = await admin.GetPageAsync(Page);
        Assert.Contains("Token revoked", list);
        Assert.Contains("<span class=\"badge bad\">revoked</span>", list);
        // The company's other token is untouched.
        Assert.Equal(HttpStatusCode.OK, (await tenant.Http.GetAsync("/partner/v2/me")).StatusCode);
    }

    [Fact]
    public async Task AnAdminCannotRevokeAnotherCompanysTokenByItsId()
    {
        var a = await app.NewTenantAsync();
        var b = await app.NewTenantAsync();
        var adminOfA = await StaffSession.SignedInAsync(app, a.CompanyId);

        var response = await adminOfA.PostFormAsync(Page + "?handler=Revoke", new() { ["id"] = b.TokenId.ToString() });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.Http.GetAsync("/partner/v2/me")).StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.ApiTokens.Where(t => t.Id == b.TokenId).Select(t => t.RevokedAt).SingleAsync()));
        // Nor does it show up in A's list.
        Assert.DoesNotContain($"data-token-id=\"{b.TokenId}\"", await adminOfA.GetPageAsync(Page));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task ATokenWithoutANameIsRefusedNextToTheFieldAndNothingIsCreated(string name)
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var before = await TokenCountAsync(tenant.CompanyId);

        var (response, html) = await CreateTokenAsync(admin, name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("needs a name", PageHtml.FieldError(html, "TokenName"));
        Assert.Null(PageHtml.TextOf(html, "data-token"));
        Assert.Equal(before, await TokenCountAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task ACreateFormPostedWithoutItsAntiforgeryTokenIsRejectedAndCreatesNothing()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var before = await TokenCountAsync(tenant.CompanyId);

        var response = await admin.PostFormWithoutTokenAsync(Page + "?handler=Create", new() { ["TokenName"] = "Forged" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await TokenCountAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task ThePartnerApiCardGivesTheBaseUrlAndLinksToTheReference()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var html = await admin.GetPageAsync(Page);

        Assert.Contains("/partner/v2</code>", html);
        Assert.Contains("href=\"/docs\"", html);
    }
}
