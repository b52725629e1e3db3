using Casewire.BrowserTests.Infrastructure;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.BrowserTests;

/// <summary>A client opens their portal link in a real browser, sees where the case stands and writes to the firm.</summary>
public sealed class PortalBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>Ann's case, moved from Intake to Treatment; returns her portal path.</summary>
    async Task<(CasewireApp.Tenant Tenant, int ProjectId, string Path)> AnnsCaseAsync()
    {
        var tenant = await app.NewTenantAsync();
        var ann = await tenant.ContactAsync("c1", phone: "+15551239001");
        await tenant.ProjectAsync("p1", ["c1"], phase: "Intake");
        var project = await tenant.ProjectAsync("p1", ["c1"], phase: "Treatment");
        await app.WithDbAsync(async db =>
        {
            var phase = await db.Phases.SingleAsync(p => p.Name == "Treatment" && db.Projects.Any(x => x.Id == project && x.PhaseId == p.Id));
            phase.Name = "Medical treatment"; // what the firm calls it for clients
            (await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId)).Name = "Reyes & Park Law";
            (await db.Projects.SingleAsync(p => p.Id == project)).Name = "Lee v. Harbor Freight";
            await db.SaveChangesAsync();
        });
        return (tenant, project, await app.PortalPathAsync(tenant.CompanyId, project, ann));
    }

    [Fact]
    public async Task AClientOpensTheirLinkAndSeesTheTrackerWithTheCurrentPhaseHighlighted()
    {
        var (_, _, path) = await AnnsCaseAsync();
        var page = await app.NewPageAsync();

        await page.GotoAsync(path);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Lee v. Harbor Freight", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync("Reyes & Park Law");
        var tracker = page.GetByRole(AriaRole.List, new() { Name = "Case tracker" });
        await Assertions.Expect(tracker.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        var current = tracker.Locator("[aria-current=step]");
        await Assertions.Expect(current).ToHaveCountAsync(1);
        await Assertions.Expect(current).ToHaveTextAsync("Medical treatment");
        // Highlighted: the current step is drawn unlike the others.
        var currentColor = await current.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        var doneColor = await tracker.GetByRole(AriaRole.Listitem).First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual(doneColor, currentColor);
    }

    [Fact]
    public async Task AClientRepliesFromThePortalAndSeesTheirReplyInTheConversation()
    {
        var (tenant, project, path) = await AnnsCaseAsync();
        await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", new { projectId = "p1", text = "Hi Ann, your MRI is booked. Please bring your records to the office." }))
            .ExpectAsync(System.Net.HttpStatusCode.Accepted);
        await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", new
        {
            id = "ev1", projectId = "p1", title = "Independent medical exam", attendees = new[] { "c1" }, location = "12 Harbor St, Suite 4",
            startTime = app.Time.GetUtcNow().AddDays(9).ToString("yyyy-MM-dd'T'15:30:00'Z'"), timezone = "America/New_York",
        })).ExpectAsync(System.Net.HttpStatusCode.Created);
        var page = await app.NewPageAsync();
        await page.GotoAsync(path);

        await page.GetByLabel("Write to").FillAsync("Can I bring my medical records on Friday?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        // The page has two live regions now (the reply's notice and the document upload's progress): the notice is the one with text.
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Your message is sent" })).ToBeVisibleAsync();
        var conversation = page.GetByRole(AriaRole.List, new() { Name = "Messages" });
        await Assertions.Expect(conversation.GetByRole(AriaRole.Listitem).Last).ToContainTextAsync("Can I bring my medical records on Friday?");
        await Assertions.Expect(conversation.GetByRole(AriaRole.Listitem).Last).ToContainTextAsync("You");
        await Assertions.Expect(page.GetByLabel("Write to")).ToHaveValueAsync("");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Staff.DocsFolder, "portal.png"), FullPage = true });
        var reply = await app.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.ProjectId == project && m.Direction == MessageDirection.Inbound));
        Assert.Equal("Can I bring my medical records on Friday?", reply.Text);
        Assert.Null(reply.ReadAt);

        // Staff see the reply in the project's conversation, from the client; opening the page reads it.
        var staff = await Staff.SignedInPageAsync(app, tenant.CompanyId);
        await staff.GotoAsync($"/projects/{project}");
        var inbound = staff.Locator(".conversation > li", new() { HasText = "Can I bring my medical records on Friday?" });
        await Assertions.Expect(inbound).ToHaveCountAsync(1);
        await Assertions.Expect(inbound).ToContainTextAsync("Ann");
        Assert.NotNull(await app.WithDbAsync(db => db.Messages.AsNoTracking().Where(m => m.Id == reply.Id).Select(m => m.ReadAt).SingleAsync()));
    }
    [Fact]
    public async Task AClientWhoseLanguageIsSpanishReadsThePortalInSpanishAndAnswersTheSurvey()
    {
        // A firm that asks on entering "Treatment"; Ana's language is es. Her case moves there and the survey goes out.
        var (tenant, _) = await app.NewSendingTenantAsync();
        await app.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            (company.Name, company.TimeZone, company.DeliveryWindow) = ("Reyes & Park Law", "America/New_York", DeliveryWindow.Immediate);
            await db.SaveChangesAsync();
        });
        var ana = (int)(await tenant.PutContactAsync(new
        {
            externalId = "c1", firstName = "Ana", lastName = "García", phone = "+15551239101", language = "es",
        }))["id"]!;
        await tenant.ContactAsync("seed", phone: "+15551239102");
        await tenant.ProjectAsync("seed", ["seed"], phase: "Intake");
        await tenant.ProjectAsync("seed", ["seed"], phase: "Treatment");
        await app.WithDbAsync(async db =>
        {
            // What the firm calls the phases for clients (the CMS's names still map to them); it asks on entering treatment.
            foreach (var phase in await db.Phases.Where(p => db.ProjectTypes.Any(t => t.Id == p.ProjectTypeId && t.CompanyId == tenant.CompanyId)).ToListAsync())
                (phase.Name, phase.SendsSurvey) = phase.Name == "Intake" ? ("Admisión", false) : ("Tratamiento médico", true);
            await db.SaveChangesAsync();
        });
        await tenant.ProjectAsync("p1", ["c1"], phase: "Intake", milestones: true, name: "García v. Harbor Freight");
        await app.DispatchAsync(); // the welcome goes before the case moves on
        var project = await tenant.ProjectAsync("p1", ["c1"], phase: "Treatment", milestones: true, name: "García v. Harbor Freight");
        await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", new { projectId = "p1", text = "Hola Ana, su resonancia es el viernes a las 10. Traiga sus informes médicos." }))
            .ExpectAsync(System.Net.HttpStatusCode.Accepted);
        for (var round = 0; round < 10; round++)
        {
            await app.DispatchAsync();
            app.Time.Advance(TimeSpan.FromSeconds(2));
        }
        var page = await app.NewPageAsync();

        await page.GotoAsync(await app.PortalPathAsync(tenant.CompanyId, project, ana));

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "En qué punto está su caso" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Etapas del caso" }).Locator("[aria-current=step]")).ToHaveTextAsync("Tratamiento médico");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "¿Qué probabilidad hay de que recomiende Reyes & Park Law a un amigo?" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enviar mi respuesta" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enviar mensaje" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Documentos" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enviar documento" })).ToBeVisibleAsync();
        // The texts she was sent are Casewire's Spanish ones.
        var messages = page.GetByRole(AriaRole.List, new() { Name = "Mensajes" });
        await Assertions.Expect(messages).ToContainTextAsync("Hola Ana, le escribe Reyes & Park Law.");
        await Assertions.Expect(messages).ToContainTextAsync("García v. Harbor Freight ha pasado a la fase Tratamiento médico.");
        foreach (var english in new[] { "Where your case stands", "Send a document", "Messages" })
            await Assertions.Expect(page.GetByText(english, new() { Exact = true })).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Staff.DocsFolder, "portal-es.png"), FullPage = true });

        await page.Locator("label.score", new() { HasText = "10" }).ClickAsync();
        await page.GetByLabel("¿Quiere contarnos algo más? (opcional)").FillAsync("Muy amables, gracias.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar mi respuesta" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Gracias por su respuesta." })).ToBeVisibleAsync();
        var survey = await app.WithDbAsync(db => db.Surveys.AsNoTracking().SingleAsync(s => s.CompanyId == tenant.CompanyId));
        Assert.Equal((10, "Muy amables, gracias.", "portal"), (survey.Score!.Value, survey.Comment, survey.AnsweredVia));
    }
}
