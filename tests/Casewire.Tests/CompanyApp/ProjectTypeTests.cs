using System.Net;
using System.Text.Json.Nodes;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.CompanyApp;

/// <summary>
/// Project types (SPEC §8): phases, CMS names, learning/locked, the welcome, phase and drip
/// texts (checked by the same rule as the CLI's template command) with a live preview, and the
/// one-click mapping of a CMS phase name that maps to nothing.
/// </summary>
public sealed class ProjectTypeTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    static int _lastPhone;
    static string NewPhone() => $"+1555{5000000 + Interlocked.Increment(ref _lastPhone):D7}";

    /// <summary>A firm whose notifications go out at once, with a client and a project in "Intake" of type "Estate" (phases Intake, Court).</summary>
    async Task<(CasewireApp.Tenant Tenant, int TypeId, string Phone)> FirmAsync(bool milestones = false)
    {
        var tenant = await app.NewTenantAsync();
        await app.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            company.DeliveryWindow = DeliveryWindow.Immediate;
            await db.SaveChangesAsync();
        });
        var phone = NewPhone();
        await tenant.ContactAsync("c1", phone: phone, firstName: "Ann");
        await tenant.ProjectAsync("p-court", ["c1"], phase: "Court", type: "Estate", milestones: milestones);
        await tenant.ProjectAsync("p-a", ["c1"], phase: "Intake", type: "Estate", milestones: milestones);
        var typeId = await app.WithDbAsync(db => db.ProjectTypes.Where(t => t.CompanyId == tenant.CompanyId && t.Name == "Estate").Select(t => t.Id).SingleAsync());
        return (tenant, typeId, phone);
    }

    Task<Phase> PhaseAsync(int typeId, string name) =>
        app.WithDbAsync(db => db.Phases.AsNoTracking().SingleAsync(p => p.ProjectTypeId == typeId && p.Name == name));

    Task<List<string>> PhaseNamesAsync(int typeId) =>
        app.WithDbAsync(db => db.Phases.Where(p => p.ProjectTypeId == typeId).OrderBy(p => p.Step).Select(p => p.Name).ToListAsync());

    static async Task<JsonObject> PreviewAsync(StaffSession staff, int typeId, string text, int? phaseId = null)
    {
        var fields = new Dictionary<string, string> { ["text"] = text };
        if (phaseId is { } p) fields["phaseId"] = p.ToString();
        var response = await staff.PostFormAsync($"/project-types/{typeId}?handler=Preview", fields);
        return await response.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task APhaseMessageWithAnUnknownPlaceholderIsRefusedNextToTheFieldAndTheOldTextStays()
    {
        var (tenant, typeId, _) = await FirmAsync();
        var court = await PhaseAsync(typeId, "Court");
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var saved = await admin.PostFormAsync($"/project-types/{typeId}?handler=PhaseMessage",
            new() { ["phaseId"] = court.Id.ToString(), ["text"] = "Hi {client.firstName}, your case is in court." });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var refused = await admin.PostFormAsync($"/project-types/{typeId}?handler=PhaseMessage",
            new() { ["phaseId"] = court.Id.ToString(), ["text"] = "Hi {client.nickname}, see {portal.link}" });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Matches($@"id=""phase-{court.Id}-message-error"" class=""field-validation-error"">Unknown placeholder \{{client.nickname\}}; use one of", html);
        Assert.Contains("Hi {client.nickname}, see {portal.link}</textarea>", html); // what was typed is not lost
        Assert.Equal("Hi {client.firstName}, your case is in court.", (await PhaseAsync(typeId, "Court")).MessageTemplate);
    }

    [Fact]
    public async Task TheWelcomeCanBeSetAndRestoredToTheDefault()
    {
        var (tenant, typeId, _) = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        await admin.PostFormAsync($"/project-types/{typeId}?handler=Welcome", new() { ["text"] = "Welcome, {client.firstName}! {portal.link}" });
        Assert.Equal("Welcome, {client.firstName}! {portal.link}",
            await app.WithDbAsync(db => db.ProjectTypes.Where(t => t.Id == typeId).Select(t => t.WelcomeTemplate).SingleAsync()));
        Assert.Contains("Welcome, Maria! http", await admin.GetPageAsync($"/project-types/{typeId}"));

        var reset = await admin.PostFormAsync($"/project-types/{typeId}?handler=Welcome", new() { ["text"] = "ignored", ["reset"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.ProjectTypes.Where(t => t.Id == typeId).Select(t => t.WelcomeTemplate).SingleAsync()));
    }

    [Fact]
    public async Task ThePreviewRendersSampleValuesAndCountsSegmentsForGsm7AndUcs2()
    {
        var (tenant, typeId, _) = await FirmAsync();
        var court = await PhaseAsync(typeId, "Court");
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var plain = await PreviewAsync(admin, typeId, "Hi {client.firstName}, {project.name} is now in {phase.name}.", court.Id);
        Assert.True((bool)plain["ok"]!);
        Assert.Equal("Hi Maria, Rodriguez v. Acme Insurance is now in Court.", (string?)plain["text"]);
        Assert.Equal(1, (int)plain["segments"]!);
        Assert.Equal("GSM-7", (string?)plain["encoding"]);

        var long7 = await PreviewAsync(admin, typeId, new string('a', 161));
        Assert.Equal((2, "GSM-7"), ((int)long7["segments"]!, (string)long7["encoding"]!));

        var curly = await PreviewAsync(admin, typeId, "We’ll call you, {client.firstName}."); // a curly apostrophe is not GSM-7
        Assert.Equal((1, "UCS-2"), ((int)curly["segments"]!, (string)curly["encoding"]!));
        var long16 = await PreviewAsync(admin, typeId, "’" + new string('a', 70));
        Assert.Equal((2, "UCS-2"), ((int)long16["segments"]!, (string)long16["encoding"]!));

        var bad = await PreviewAsync(admin, typeId, "Hi {client.nickname}");
        Assert.False((bool)bad["ok"]!);
        Assert.StartsWith("Unknown placeholder {client.nickname}", (string)bad["errors"]![0]!);
    }

    [Fact]
    public async Task ThePreviewNeedsTheAntiforgeryTokenAndIsScopedToTheCompany()
    {
        var (tenant, typeId, _) = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var outsider = await StaffSession.SignedInAsync(app, (await app.NewTenantAsync()).CompanyId);

        var withoutToken = await admin.PostFormWithoutTokenAsync($"/project-types/{typeId}?handler=Preview", new() { ["text"] = "Hi" });
        var elsewhere = await outsider.PostFormAsync($"/project-types/{typeId}?handler=Preview", new() { ["text"] = "Hi" }, formPage: "/");

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task MappingAnUnmappedCmsNameMovesTheWaitingProjectAndTellsItsClientsAsTheCmsWould()
    {
        var (tenant, typeId, phone) = await FirmAsync(milestones: true);
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"/project-types/{typeId}?handler=Mode", new() { ["locked"] = "true" })).StatusCode);
        await tenant.ProjectAsync("p-a", ["c1"], phase: "Probate hearing", type: "Estate", milestones: true); // maps to nothing: waits in Intake
        await app.DispatchAsync();
        var textsBefore = app.SinkLines().Count(l => (string?)l["to"] == phone);
        var unmappedId = await app.WithDbAsync(db => db.UnmappedPhaseNames.Where(u => u.ProjectTypeId == typeId).Select(u => u.Id).SingleAsync());
        var court = await PhaseAsync(typeId, "Court");
        var page = await admin.GetPageAsync($"/project-types/{typeId}");
        Assert.Contains("Probate hearing", page);

        var mapped = await admin.PostFormAsync($"/project-types/{typeId}?handler=Map",
            new() { ["unmappedId"] = unmappedId.ToString(), ["phaseId"] = court.Id.ToString() });

        Assert.Equal(HttpStatusCode.Redirect, mapped.StatusCode);
        var project = await (await tenant.Http.GetAsync("/partner/v2/projects/p-a")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Court", (string?)project["phase"]!["name"]);
        Assert.Equal(0, await app.WithDbAsync(db => db.UnmappedPhaseNames.CountAsync(u => u.ProjectTypeId == typeId)));
        Assert.Contains("Probate hearing", await app.WithDbAsync(db => db.PhaseTriggers.Where(t => t.PhaseId == court.Id).Select(t => t.Name).ToListAsync()));
        await app.DispatchAsync();
        var told = app.SinkLines().Where(l => (string?)l["to"] == phone).Skip(textsBefore).ToList();
        Assert.Contains(told, l => ((string)l["text"]!).Contains("moved to the Court phase"));

        // The CMS sending that name again now simply means Court: no second notification.
        await tenant.ProjectAsync("p-a", ["c1"], phase: "probate  HEARING", type: "Estate", milestones: true);
        await app.DispatchAsync();
        Assert.Equal(told.Count, app.SinkLines().Count(l => (string?)l["to"] == phone) - textsBefore);
        Assert.Equal(0, await app.WithDbAsync(db => db.UnmappedPhaseNames.CountAsync(u => u.ProjectTypeId == typeId)));
    }

    [Fact]
    public async Task OnlyAnAdminChangesAProjectTypeAndOthersReadIt()
    {
        var (tenant, typeId, _) = await FirmAsync();
        var court = await PhaseAsync(typeId, "Court");
        var user = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.User);
        var follower = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower);

        var html = await follower.GetPageAsync($"/project-types/{typeId}");
        var refused = await user.PostFormAsync($"/project-types/{typeId}?handler=PhaseMessage",
            new() { ["phaseId"] = court.Id.ToString(), ["text"] = "Changed by a user" });
        var renamed = await follower.PostFormAsync($"/project-types/{typeId}?handler=Rename",
            new() { ["phaseId"] = court.Id.ToString(), ["name"] = "Renamed" });

        Assert.Contains("moved to the Court phase", html); // the default text's preview
        Assert.DoesNotContain("<textarea", html);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, renamed.StatusCode);
        var after = await PhaseAsync(typeId, "Court");
        Assert.Null(after.MessageTemplate);
    }

    [Fact]
    public async Task AnotherCompanysProjectTypeIsNotFound()
    {
        var (_, typeId, _) = await FirmAsync();
        var court = await PhaseAsync(typeId, "Court");
        var outsider = await StaffSession.SignedInAsync(app, (await app.NewTenantAsync()).CompanyId);

        var page = await outsider.Http.GetAsync($"/project-types/{typeId}");
        var post = await outsider.PostFormAsync($"/project-types/{typeId}?handler=Rename", new() { ["phaseId"] = court.Id.ToString(), ["name"] = "Mine" },
            formPage: "/");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal("Court", (await PhaseAsync(typeId, "Court")).Name);
        Assert.DoesNotContain("Estate", await outsider.GetPageAsync("/project-types"));
    }

    [Fact]
    public async Task PhasesAreAddedRenamedReorderedAndRemovedOnlyWhenNoProjectIsOrWasInThem()
    {
        var (tenant, typeId, _) = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var path = $"/project-types/{typeId}";

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync(path + "?handler=AddPhase", new() { ["name"] = "Settlement" })).StatusCode);
        Assert.Equal(["Court", "Intake", "Settlement"], await PhaseNamesAsync(typeId));
        var settlement = await PhaseAsync(typeId, "Settlement");
        Assert.Equal(["Settlement"], await app.WithDbAsync(db => db.PhaseTriggers.Where(t => t.PhaseId == settlement.Id).Select(t => t.Name).ToListAsync()));

        var duplicate = await admin.PostFormAsync(path + "?handler=Rename", new() { ["phaseId"] = settlement.Id.ToString(), ["name"] = " intake " });
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Contains("Estate already has a phase called Intake.", await duplicate.Content.ReadAsStringAsync());

        await admin.PostFormAsync(path + "?handler=Rename", new() { ["phaseId"] = settlement.Id.ToString(), ["name"] = "Settled" });
        var intake = await PhaseAsync(typeId, "Intake");
        await admin.PostFormAsync(path + "?handler=Move", new() { ["phaseId"] = intake.Id.ToString(), ["direction"] = "up" });
        Assert.Equal(["Intake", "Court", "Settled"], await PhaseNamesAsync(typeId));
        var lastDown = await admin.PostFormAsync(path + "?handler=Move", new() { ["phaseId"] = settlement.Id.ToString(), ["direction"] = "down" });
        Assert.Contains("Settled is already the last phase.", await lastDown.Content.ReadAsStringAsync());

        var inUse = await admin.PostFormAsync(path + "?handler=RemovePhase", new() { ["phaseId"] = intake.Id.ToString() });
        Assert.Equal(HttpStatusCode.OK, inUse.StatusCode);
        Assert.Contains("1 project is in Intake: a phase can be removed only while no project is or was in it.", WebUtility.HtmlDecode(await inUse.Content.ReadAsStringAsync()));
        await tenant.ProjectAsync("p-court", ["c1"], phase: "Intake", type: "Estate"); // Court is empty now, but was used
        var wasUsed = await admin.PostFormAsync(path + "?handler=RemovePhase", new() { ["phaseId"] = (await PhaseAsync(typeId, "Court")).Id.ToString() });
        Assert.Contains("Projects have been in Court", WebUtility.HtmlDecode(await wasUsed.Content.ReadAsStringAsync()));

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync(path + "?handler=RemovePhase", new() { ["phaseId"] = settlement.Id.ToString() })).StatusCode);
        Assert.Equal(["Intake", "Court"], await PhaseNamesAsync(typeId));
        Assert.Equal([0, 1], await app.WithDbAsync(db => db.Phases.Where(p => p.ProjectTypeId == typeId).OrderBy(p => p.Step).Select(p => p.Step).ToListAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.PhaseTriggers.CountAsync(t => t.PhaseId == settlement.Id)));
    }

    [Fact]
    public async Task ACmsNameMapsToOnePhaseAndAddingItMovesTheProjectsWaitingOnIt()
    {
        var (tenant, typeId, _) = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var path = $"/project-types/{typeId}";
        var court = await PhaseAsync(typeId, "Court");
        var intake = await PhaseAsync(typeId, "Intake");

        var taken = await admin.PostFormAsync(path + "?handler=AddTrigger", new() { ["phaseId"] = court.Id.ToString(), ["name"] = "INTAKE" });
        Assert.Contains("'INTAKE' already maps to Intake; remove it there first", WebUtility.HtmlDecode(await taken.Content.ReadAsStringAsync()));

        // Move the CMS name "Intake" from the Intake phase to Court: p-a, whose CMS phase is "Intake", follows it.
        var trigger = await app.WithDbAsync(db => db.PhaseTriggers.SingleAsync(t => t.PhaseId == intake.Id));
        await admin.PostFormAsync(path + "?handler=RemoveTrigger", new() { ["phaseId"] = intake.Id.ToString(), ["triggerId"] = trigger.Id.ToString() });
        var added = await admin.PostFormAsync(path + "?handler=AddTrigger", new() { ["phaseId"] = court.Id.ToString(), ["name"] = "intake" });

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var project = await (await tenant.Http.GetAsync("/partner/v2/projects/p-a")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Court", (string?)project["phase"]!["name"]);
    }

    [Fact]
    public async Task DripsAreAddedEditedAndRemovedAndBadNumbersAreExplained()
    {
        var (tenant, typeId, _) = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var path = $"/project-types/{typeId}";
        var court = await PhaseAsync(typeId, "Court");

        var added = await admin.PostFormAsync(path + "?handler=AddDrip",
            new() { ["phaseId"] = court.Id.ToString(), ["AfterDays"] = "14", ["RepeatEveryDays"] = "", ["MaxTimes"] = "1", ["Text"] = "Still in court, {client.firstName}." });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var drip = await app.WithDbAsync(db => db.PhaseDrips.SingleAsync(d => d.PhaseId == court.Id));
        Assert.Equal((14, "Still in court, {client.firstName}."), (drip.AfterDays, drip.Template));

        var bad = await admin.PostFormAsync(path + "?handler=UpdateDrip",
            new() { ["phaseId"] = court.Id.ToString(), ["dripId"] = drip.Id.ToString(), ["AfterDays"] = "0", ["MaxTimes"] = "3", ["Text"] = "Changed" });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("afterDays must be 1 to 365; it was 0.", html);
        Assert.Contains("maxTimes above 1 needs repeatEveryDays", html);
        var notANumber = await admin.PostFormAsync(path + "?handler=UpdateDrip",
            new() { ["phaseId"] = court.Id.ToString(), ["dripId"] = drip.Id.ToString(), ["AfterDays"] = "soon", ["Text"] = "Changed" });
        Assert.Contains("Days and times must be whole numbers.", await notANumber.Content.ReadAsStringAsync());
        Assert.Equal("Still in court, {client.firstName}.", (await app.WithDbAsync(db => db.PhaseDrips.SingleAsync(d => d.Id == drip.Id))).Template);

        var edited = await admin.PostFormAsync(path + "?handler=UpdateDrip",
            new() { ["phaseId"] = court.Id.ToString(), ["dripId"] = drip.Id.ToString(), ["AfterDays"] = "7", ["RepeatEveryDays"] = "7", ["MaxTimes"] = "3", ["Text"] = "Weekly news" });
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        var after = await app.WithDbAsync(db => db.PhaseDrips.SingleAsync(d => d.Id == drip.Id));
        Assert.Equal((7, (int?)7, 3, "Weekly news"), (after.AfterDays, after.RepeatEveryDays, after.MaxTimes, after.Template));

        var removed = await admin.PostFormAsync(path + "?handler=RemoveDrip", new() { ["phaseId"] = court.Id.ToString(), ["dripId"] = drip.Id.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.PhaseDrips.CountAsync(d => d.PhaseId == court.Id)));
    }

    [Fact]
    public async Task TheListShowsEachTypeWithItsModeAndUnmappedNames()
    {
        var (tenant, typeId, _) = await FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        await admin.PostFormAsync($"/project-types/{typeId}?handler=Mode", new() { ["locked"] = "true" });
        await tenant.ProjectAsync("p-a", ["c1"], phase: "Appeal", type: "Estate");

        var html = WebUtility.HtmlDecode(await admin.GetPageAsync("/project-types"));

        Assert.Matches($@"<a href=""/project-types/{typeId}"">Estate</a>\s*<a class=""badge warn"" href=""/project-types/{typeId}#unmapped"">1 unmapped CMS phase name</a>", html);
        Assert.Contains(">locked<", html);
        Assert.Contains("Court → Intake", html);
    }
}
