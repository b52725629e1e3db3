using Casewire.BrowserTests.Infrastructure;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.BrowserTests;

/// <summary>Project types and the project page in a real browser: editing a phase's text, the live preview, sending, the timeline.</summary>
public sealed class ProjectBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    static int _lastPhone;
    static string NewPhone() => $"+1555{6000000 + Interlocked.Increment(ref _lastPhone):D7}";

    /// <summary>A firm whose notifications go out at once, a client called Ann with a phone, and project p1 in "Intake".</summary>
    async Task<(CasewireApp.Tenant Tenant, int ProjectId, string Phone)> FirmAsync(bool milestones)
    {
        var tenant = await app.NewTenantAsync();
        await app.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            company.Name = "Acme Law";
            company.DeliveryWindow = DeliveryWindow.Immediate;
            await db.SaveChangesAsync();
        });
        var phone = NewPhone();
        await tenant.ContactAsync("c1", phone: phone, firstName: "Ann", lastName: "Lee");
        var projectId = await tenant.ProjectAsync("p1", ["c1"], phase: "Intake", type: "Personal Injury", milestones: milestones);
        return (tenant, projectId, phone);
    }

    [Fact]
    public async Task AnAdminEditsAPhasesTextAndTheProjectEnteringThatPhaseShowsTheRenderedMessageInItsConversation()
    {
        var (tenant, projectId, phone) = await FirmAsync(milestones: true);
        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId);

        await page.GetByRole(AriaRole.Link, new() { Name = "Project types" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Personal Injury" }).ClickAsync();
        await page.GetByLabel("Add a phase at the end").FillAsync("Discovery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add phase" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Phase Discovery added");

        var text = page.GetByLabel("Message when a case enters Discovery");
        await text.FillAsync("");
        await text.PressSequentiallyAsync("Hi {client.firstName}, {project.name} is now in {phase.name}. We’ll call you.");
        // The live preview renders the sample client as the admin types, and counts segments (the curly apostrophe makes it UCS-2).
        var preview = page.Locator("#" + await text.GetAttributeAsync("data-preview"));
        await Assertions.Expect(preview.Locator(".sample")).ToHaveTextAsync("Hi Maria, Rodriguez v. Acme Insurance is now in Discovery. We’ll call you.");
        await Assertions.Expect(preview.Locator(".meta")).ToContainTextAsync("2 SMS segments · UCS-2");
        await text.Locator("xpath=ancestor::form").GetByRole(AriaRole.Button, new() { Name = "Save message" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Saved.");

        // The CMS moves the case into Discovery; the dispatcher sends the text.
        await tenant.ProjectAsync("p1", ["c1"], phase: "Discovery", type: "Personal Injury", milestones: true);
        await app.DispatchAsync();

        await page.GotoAsync($"/projects/{projectId}");
        var message = page.Locator(".conversation > li", new() { HasText = "Hi Ann, Case p1 is now in Discovery. We’ll call you." });
        await Assertions.Expect(message).ToHaveCountAsync(1);
        await Assertions.Expect(message).ToContainTextAsync("phase change");
        await Assertions.Expect(message.Locator(".recipients")).ToContainTextAsync($"SMS to {phone}: sent");
        await Assertions.Expect(page.Locator("ol.timeline li[aria-current=step]")).ToHaveTextAsync("Discovery");
        Assert.Contains(app.SinkLines(), l => (string?)l["to"] == phone && (string?)l["text"] == "Hi Ann, Case p1 is now in Discovery. We’ll call you.");

        // The same delivery in the delivery log, as sent to the client's number.
        await page.GetByRole(AriaRole.Link, new() { Name = "Delivery log" }).ClickAsync();
        var row = page.Locator("table[data-list=deliveries] tbody tr", new() { HasText = "Hi Ann, Case p1 is now in Discovery. We’ll call you." });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync(phone);
        await Assertions.Expect(row).ToContainTextAsync("sent");
    }

    [Fact]
    public async Task AStaffMemberSendsAMessageFromTheProjectPageAndTheSinkSendsIt()
    {
        var (tenant, projectId, phone) = await FirmAsync(milestones: false);
        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId, StaffRole.User);
        await page.GotoAsync("/projects");
        await page.GetByLabel("Search projects").FillAsync("Ann Lee");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Case p1" }).ClickAsync();

        await page.GetByLabel("Message to the clients").FillAsync("Your hearing moved to Friday at 9.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Message sent to 1 recipient");
        var message = page.Locator(".conversation > li", new() { HasText = "Your hearing moved to Friday at 9." });
        await Assertions.Expect(message.Locator(".recipients")).ToContainTextAsync($"SMS to {phone}: queued");

        await app.DispatchAsync();

        Assert.Contains(app.SinkLines(), l => (string?)l["to"] == phone && (string?)l["text"] == "Your hearing moved to Friday at 9.");
        await page.ReloadAsync();
        await Assertions.Expect(message.Locator(".recipients")).ToContainTextAsync($"SMS to {phone}: sent");
        await Assertions.Expect(page.Locator("#deliveries")).ToContainTextAsync($"SMS to {phone}");
        Assert.EndsWith($"/projects/{projectId}", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task TheTimelineHighlightsTheCurrentPhaseAndMarksTheOnesBefore()
    {
        var (tenant, projectId, _) = await FirmAsync(milestones: false);
        await tenant.ProjectAsync("p2", ["c1"], phase: "Discovery", type: "Personal Injury");
        await tenant.ProjectAsync("p3", ["c1"], phase: "Trial", type: "Personal Injury");
        await tenant.ProjectAsync("p1", ["c1"], phase: "Discovery", type: "Personal Injury");
        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId, StaffRole.Follower);

        await page.GotoAsync($"/projects/{projectId}");

        var steps = page.Locator("ol.timeline li");
        await Assertions.Expect(steps).ToHaveCountAsync(3);
        var current = page.Locator("ol.timeline li[aria-current=step]");
        await Assertions.Expect(current).ToHaveCountAsync(1);
        await Assertions.Expect(current).ToHaveTextAsync("Discovery");
        await Assertions.Expect(steps.Nth(0)).ToHaveClassAsync("done");
        await Assertions.Expect(steps.Nth(2)).Not.ToHaveAttributeAsync("aria-current", "step");
        // The stylesheet makes the current step stand out from the others.
        var currentBackground = await current.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        var laterBackground = await steps.Nth(2).EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual(laterBackground, currentBackground);
        // A Follower reads but has no send box.
        await Assertions.Expect(page.GetByLabel("Message to the clients")).ToHaveCountAsync(0);
    }
}
