using Casewire.BrowserTests.Infrastructure;
using Casewire.Model;
using Casewire.Tests.Infrastructure;

namespace Casewire.BrowserTests;

/// <summary>The staff inbox in a real browser (SPEC §12): a client's portal reply arrives unread, is flagged, archived, back with the next reply, assigned.</summary>
public sealed class InboxBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    static async Task ReplyAsync(IPage portal, string text)
    {
        await portal.GetByLabel("Write to").FillAsync(text);
        await portal.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Assertions.Expect(portal.GetByRole(AriaRole.Status).Filter(new() { HasText = "Your message is sent" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AReplyArrivesUnreadIsFlaggedArchivedBackWithTheNextReplyAndAssignedToMe()
    {
        var tenant = await app.NewTenantAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551238001", firstName: "Ann");
        var project = await tenant.ProjectAsync("p1", ["c1"], name: "Lee v. Harbor Freight");
        var portal = await app.NewPageAsync();
        await portal.GotoAsync(await app.PortalPathAsync(tenant.CompanyId, project, ann));
        await ReplyAsync(portal, "Can I bring my sister to the hearing?");

        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId, StaffRole.User, email: "dana@firm.example");
        await page.Locator("a[data-link=inbox]").ClickAsync(); // the dashboard's unread count leads to the inbox
        var row = page.Locator("tr[data-conversation]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("Lee v. Harbor Freight");
        await Assertions.Expect(row).ToContainTextAsync("Can I bring my sister to the hearing?");
        await Assertions.Expect(row.Locator("[data-unread]")).ToHaveTextAsync("1 unread");

        await page.GetByRole(AriaRole.Link, new() { Name = "All open" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Flag" }).ClickAsync();
        await Assertions.Expect(row.Locator("[data-flagged]")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Flagged" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(1);

        await row.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Archived");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Archived" }).ClickAsync();
        await Assertions.Expect(row.Locator("[data-archived]")).ToBeVisibleAsync();

        await ReplyAsync(portal, "Also: is parking available?");
        await page.GetByRole(AriaRole.Link, new() { Name = "All open" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("Also: is parking available?");
        await Assertions.Expect(row.Locator("[data-archived]")).ToHaveCountAsync(0);
        await Assertions.Expect(row.Locator("[data-unread]")).ToHaveTextAsync("2 unread");

        await row.GetByLabel("Assign Lee v. Harbor Freight to").SelectOptionAsync(new SelectOptionValue { Label = "dana@firm.example (me)" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Assign" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Assigned to dana@firm.example");
        await page.GetByRole(AriaRole.Link, new() { Name = "Assigned to me" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("[data-assigned]")).ToHaveTextAsync("mine");

        // Opening it reads it: the unread view empties.
        await row.GetByRole(AriaRole.Link, new() { Name = "Lee v. Harbor Freight" }).ClickAsync();
        await Assertions.Expect(page.Locator(".conversation")).ToContainTextAsync("Also: is parking available?");
        await page.GotoAsync("/inbox?show=unread");
        await Assertions.Expect(row).ToHaveCountAsync(0);
    }
}
