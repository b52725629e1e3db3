using System.Net;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.CompanyApp;

/// <summary>SPEC §12: Settings → Templates — admins edit, placeholders checked as milestone texts are, inserted in the project's send box.</summary>
public sealed class MessageTemplateTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    Task<List<MessageTemplate>> TemplatesAsync(int companyId) => app.WithDbAsync(db =>
        db.MessageTemplates.AsNoTracking().Where(t => t.CompanyId == companyId).OrderBy(t => t.Id).ToListAsync());

    [Fact]
    public async Task AnAdminAddsAndChangesATemplate()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var created = await admin.PostFormAsync("/settings/templates", new() { ["Name"] = "Closed", ["Text"] = "Hi {client.firstName}, we are closed Friday." });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = Assert.Single(await TemplatesAsync(tenant.CompanyId)).Id;
        await admin.PostFormAsync("/settings/templates", new() { ["EditId"] = id.ToString(), ["Name"] = "Closed Friday", ["Text"] = "Closed Friday, {client.firstName}." });

        var template = Assert.Single(await TemplatesAsync(tenant.CompanyId));
        Assert.Equal(("Closed Friday", "Closed Friday, {client.firstName}."), (template.Name, template.Text));
        Assert.Contains("Closed Friday, {client.firstName}.", await admin.GetPageAsync("/settings/templates"));
    }

    [Theory]
    [InlineData("Bad", "Hi {client.middleName}", "client.middleName")]
    [InlineData("Bad", "Hi {client.firstName", "Unbalanced")]
    [InlineData("", "Hi", "name")]
    public async Task AnUnknownPlaceholderAnUnbalancedBraceOrNoNameIsRefusedAndNothingSaved(string name, string text, string said)
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var response = await admin.PostFormAsync("/settings/templates", new() { ["Name"] = name, ["Text"] = text });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(said, await response.Content.ReadAsStringAsync());
        Assert.Empty(await TemplatesAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task TwoTemplatesCannotShareAName()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        await admin.PostFormAsync("/settings/templates", new() { ["Name"] = "Moved", ["Text"] = "We moved." });

        var again = await admin.PostFormAsync("/settings/templates", new() { ["Name"] = "Moved", ["Text"] = "Again." });

        Assert.Contains("exists already", await again.Content.ReadAsStringAsync());
        Assert.Single(await TemplatesAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task AUserReadsTemplatesButCannotChangeThem()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        await admin.PostFormAsync("/settings/templates", new() { ["Name"] = "Moved", ["Text"] = "We moved." });
        var user = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.User);

        Assert.Contains("We moved.", await user.GetPageAsync("/settings/templates"));
        var refused = await user.PostFormAsync("/settings/templates", new() { ["Name"] = "Mine", ["Text"] = "No." }, formPage: "/settings/templates");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/denied", refused.Headers.Location!.AbsolutePath);
        Assert.Single(await TemplatesAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task AnotherFirmsTemplatesAreNeitherShownNorChangeable()
    {
        var victim = await app.NewTenantAsync();
        var victimAdmin = await StaffSession.SignedInAsync(app, victim.CompanyId);
        await victimAdmin.PostFormAsync("/settings/templates", new() { ["Name"] = "Secret", ["Text"] = "Victim's wording." });
        var id = Assert.Single(await TemplatesAsync(victim.CompanyId)).Id;
        var hostile = await app.NewTenantAsync();
        var hostileAdmin = await StaffSession.SignedInAsync(app, hostile.CompanyId);

        Assert.DoesNotContain("Victim's wording.", await hostileAdmin.GetPageAsync($"/settings/templates?edit={id}"));
        await hostileAdmin.PostFormAsync("/settings/templates", new() { ["EditId"] = id.ToString(), ["Name"] = "Mine", ["Text"] = "Changed." });
        var deleted = await hostileAdmin.PostFormAsync($"/settings/templates?handler=Delete&id={id}", new());

        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        Assert.Equal("Victim's wording.", Assert.Single(await TemplatesAsync(victim.CompanyId)).Text);
    }

    [Fact]
    public async Task TheProjectPagesSendBoxOffersTheTemplatesFilledForTheProject()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", PartnerSetup.UniqueNumber(), firstName: "Ann");
        var projectId = await tenant.ProjectAsync("p1", ["c1"], name: "Lee v. Harbor", phase: "Intake");
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        await admin.PostFormAsync("/settings/templates", new() { ["Name"] = "Update", ["Text"] = "Hi {client.firstName}, {project.name} is in {phase.name}." });

        var page = await admin.GetPageAsync($"/projects/{projectId}");

        Assert.Contains("data-insert-template", page);
        Assert.Contains("value=\"Hi Ann, Lee v. Harbor is in Intake.\"", page);
    }
}
