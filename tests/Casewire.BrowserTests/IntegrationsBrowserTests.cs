using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Casewire.BrowserTests.Infrastructure;

namespace Casewire.BrowserTests;

/// <summary>Settings → Integrations in a real browser: a token made on the page is the one the API accepts.</summary>
public sealed class IntegrationsBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task AnAdminCreatesATokenInIntegrationsCopiesItAndTheApiAcceptsIt()
    {
        var tenant = await app.NewTenantAsync();
        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);

        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Integrations" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Clio sync");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var secret = (await page.Locator(".secret").TextContentAsync())!.Trim();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");

        using var api = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var response = await api.GetAsync("/partner/v2/me");
        var me = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Matches("^cw_[0-9A-Za-z]{40}$", secret);
        Assert.Equal(secret, copied);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(tenant.Slug, (string?)me["company"]!["slug"]);
        Assert.Equal("Clio sync", (string?)me["token"]!["name"]);

        // Shown once: after a reload the page lists the token by its prefix only.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("table[data-list=tokens]")).ToContainTextAsync("Clio sync");
        await Assertions.Expect(page.Locator("table[data-list=tokens]")).ToContainTextAsync(secret[..11]);
        Assert.DoesNotContain(secret, await page.ContentAsync());
    }

    [Fact]
    public async Task RevokingATokenAsksFirstAndThenTheApiRefusesIt()
    {
        var tenant = await app.NewTenantAsync();
        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId);
        await page.GotoAsync("/settings/integrations");
        await page.GetByLabel("Name").FillAsync("Temporary");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var secret = (await page.Locator(".secret").TextContentAsync())!.Trim();
        string? asked = null;
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke Temporary" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Token revoked");

        using var api = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/partner/v2/me")).StatusCode);
        Assert.Contains("Revoke “Temporary”?", asked);
    }
}
