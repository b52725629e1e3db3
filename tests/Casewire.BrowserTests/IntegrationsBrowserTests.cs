using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Casewire.BrowserTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

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

    [Fact]
    public async Task AnAdminAddsAWebhookEndpointWithOneEventCopiesItsSecretOnceAndDeletesItAfterConfirming()
    {
        var tenant = await app.NewTenantAsync();
        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.GotoAsync("/settings/integrations");

        await page.GetByLabel("URL").FillAsync("https://cms.example.com/casewire/hooks");
        await page.GetByLabel("All events").UncheckAsync();
        await page.GetByLabel("message.received").CheckAsync();
        await page.GetByLabel("Description").FillAsync("Clio sync");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        var secret = (await page.Locator("[data-webhook-secret]").TextContentAsync())!.Trim();
        await page.Locator("#new-webhook-secret + button").ClickAsync();
        await Assertions.Expect(page.Locator("#new-webhook-secret + button")).ToHaveTextAsync("Copied");
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");

        var stored = await app.WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.CompanyId == tenant.CompanyId));
        Assert.Equal(stored.Secret, secret);
        Assert.Equal(secret, copied);
        Assert.Equal(("https://cms.example.com/casewire/hooks", "message.received", "Clio sync"), (stored.Url, stored.Events, stored.Description));

        // Shown once: opened again, the page lists the endpoint without its secret. (Not a reload: that would post the form again.)
        await page.GotoAsync("/settings/integrations");
        var list = page.Locator("table[data-list=webhooks]");
        await Assertions.Expect(list).ToContainTextAsync("https://cms.example.com/casewire/hooks");
        await Assertions.Expect(list).ToContainTextAsync("message.received");
        Assert.DoesNotContain(secret, await page.ContentAsync());

        string? asked = null;
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete https://cms.example.com/casewire/hooks" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("deleted");

        Assert.Contains("Delete the endpoint https://cms.example.com/casewire/hooks?", asked);
        Assert.False(await app.WithDbAsync(db => db.WebhookEndpoints.AnyAsync(e => e.CompanyId == tenant.CompanyId)));
        await Assertions.Expect(page.Locator("table[data-list=webhooks]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AWebhookToARefusedAddressShowsTheReasonNextToTheUrlAndSavesNothing()
    {
        // SPEC §11: cloud metadata is refused even where private networks are allowed (as this app allows them).
        var tenant = await app.NewTenantAsync();
        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId);
        await page.GotoAsync("/settings/integrations");

        await page.GetByLabel("URL").FillAsync("http://169.254.169.254/latest/meta-data/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();

        var reason = page.Locator("#webhook-url-error");
        await Assertions.Expect(reason).ToContainTextAsync("169.254.169.254, a link-local (cloud metadata) address");
        await Assertions.Expect(page.GetByLabel("URL")).ToHaveValueAsync("http://169.254.169.254/latest/meta-data/");
        await Assertions.Expect(page.Locator("[data-webhook-secret]")).ToHaveCountAsync(0);
        Assert.False(await app.WithDbAsync(db => db.WebhookEndpoints.AnyAsync(e => e.CompanyId == tenant.CompanyId)));
    }
}
