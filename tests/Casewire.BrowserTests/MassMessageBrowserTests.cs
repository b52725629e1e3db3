using Casewire.BrowserTests.Infrastructure;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.BrowserTests;

/// <summary>Mass messages in a real browser (SPEC §12): the filter, the live count, a template, the confirmation, scheduling, cancel, the history.</summary>
public sealed class MassMessageBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    static int _lastPhone;
    static string NewPhone() => $"+1555{7000000 + Interlocked.Increment(ref _lastPhone):D7}";

    /// <summary>Ann (p1) and Bo (p2) in Personal Injury, Cy (p3) in Family Law; the template "Closed".</summary>
    async Task<CasewireApp.Tenant> FirmAsync()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("ann", NewPhone(), firstName: "Ann");
        await tenant.ContactAsync("bo", NewPhone(), firstName: "Bo");
        await tenant.ContactAsync("cy", NewPhone(), firstName: "Cy");
        await tenant.ProjectAsync("p1", ["ann"], type: "Personal Injury");
        await tenant.ProjectAsync("p2", ["bo"], type: "Personal Injury");
        await tenant.ProjectAsync("p3", ["cy"], type: "Family Law");
        await app.WithDbAsync(async db =>
        {
            db.MessageTemplates.Add(new MessageTemplate
            {
                CompanyId = tenant.CompanyId, Name = "Closed", Text = "Hi {client.firstName}, our office is closed Friday.", UpdatedAt = app.Time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        });
        return tenant;
    }

    Task<List<OutboxItem>> ItemsAsync(int companyId) =>
        app.WithDbAsync(db => db.OutboxItems.AsNoTracking().Where(o => o.CompanyId == companyId && o.MassMessageId != null).ToListAsync());

    [Fact]
    public async Task FilterCountComposeWithATemplateScheduleAndCancel()
    {
        var tenant = await FirmAsync();
        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId, StaffRole.User);

        await page.GetByRole(AriaRole.Link, new() { Name = "Mass messages" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New mass message" }).ClickAsync();
        await page.GetByLabel("Project types").SelectOptionAsync("Personal Injury");
        await Assertions.Expect(page.Locator("[data-count=recipients]")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("[data-count=opted-out]")).ToHaveTextAsync("0");

        await page.GetByLabel("Insert a template").SelectOptionAsync(new SelectOptionValue { Label = "Closed" });
        await Assertions.Expect(page.GetByLabel("Text", new() { Exact = true })).ToHaveValueAsync("Hi {client.firstName}, our office is closed Friday.");
        await Assertions.Expect(page.Locator("[data-sample]")).ToHaveTextAsync("Hi Ann, our office is closed Friday.");
        await Assertions.Expect(page.Locator("[data-segments]")).ToHaveTextAsync("1");

        var local = TimeZoneInfo.ConvertTime(app.Time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).Date.AddDays(3).AddHours(9);
        await page.GetByLabel("At a date and time").CheckAsync();
        await page.GetByLabel("Date and time", new() { Exact = true }).FillAsync(local.ToString("yyyy-MM-dd'T'HH:mm"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Send to 2 clients?" })).ToBeVisibleAsync();
        Assert.Empty(await ItemsAsync(tenant.CompanyId)); // nothing written before the confirmation

        await page.GetByRole(AriaRole.Button, new() { Name = "Send to 2 clients" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Scheduled for 2 clients.");
        await Assertions.Expect(page.Locator("h1 [data-status]")).ToHaveTextAsync("scheduled");
        await Assertions.Expect(page.Locator("[data-delivery-status=scheduled]")).ToHaveCountAsync(2);

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel what has not gone out" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Canceled 2 deliveries");
        await Assertions.Expect(page.Locator("[data-stat=canceled]")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("h1 [data-status]")).ToHaveTextAsync("canceled");
        Assert.All(await ItemsAsync(tenant.CompanyId), i => Assert.Equal(DeliveryStatus.Canceled, i.Status));
    }

    [Fact]
    public async Task SendNowAndTheHistoryShowsTheCountsMovingToSent()
    {
        var tenant = await FirmAsync();
        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId);

        await page.GotoAsync("/mass-messages/new");
        await page.GetByLabel("Projects (external ids, one a line)").FillAsync("p1\np3");
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Court is closed Friday, {client.firstName}.");
        await Assertions.Expect(page.Locator("[data-count=recipients]")).ToHaveTextAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send to 2 clients" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Sending to 2 clients.");

        await page.GetByRole(AriaRole.Link, new() { Name = "Mass messages" }).First.ClickAsync();
        var row = page.Locator("tr[data-mass-message]");
        await Assertions.Expect(row.Locator("[data-count=queued]")).ToHaveTextAsync("2");
        await Assertions.Expect(row.Locator("[data-count=sent]")).ToHaveTextAsync("0");

        await app.DispatchAsync();
        await page.ReloadAsync();

        await Assertions.Expect(row.Locator("[data-count=queued]")).ToHaveTextAsync("0");
        await Assertions.Expect(row.Locator("[data-count=sent]")).ToHaveTextAsync("2");
        Assert.Equal(2, app.SinkLines().Count(l => ((string?)l["text"] ?? "").StartsWith("Court is closed Friday", StringComparison.Ordinal)));
    }
}
