using System.Net;
using System.Text.Json.Nodes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>SPEC §3: PUT /partner/v2/projects (types, phases, clients) and the read extensions of §9.</summary>
public sealed class ProjectsTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    // The published field list with the published client reference; the published example body is a
    // copy of the message example and is wrong (SPEC §3).
    const string PublishedFieldList = """
        { "externalId": "123-3123-123", "name": "New Project", "partnerPhaseName": "Intake",
          "clients": [{"externalId": "123-1231"}], "partnerProjectTypeName": "Web Dev",
          "milestonesEnabled": true, "status": "Not Started" }
        """;

    static readonly string[] ThreeStatuses = ["Not Started", "In Progress", "Completed"];

    /// <summary>John Doe, the published contact example's client, under <paramref name="externalId"/>; returns his representation.</summary>
    static Task<JsonObject> ContactAsync(CasewireApp.Tenant tenant, string externalId, string firstName = "John") =>
        tenant.PutContactAsync(new { externalId, firstName, lastName = "Doe", email = "john.doe@example.com", phone = "+15551234567" });

    static object Project(
        string externalId, object[] clients, string phase = "Intake", string type = "Web Dev",
        string? status = "Not Started", bool milestonesEnabled = true, string name = "New Project") =>
        new { externalId, name, partnerPhaseName = phase, clients, partnerProjectTypeName = type, milestonesEnabled, status };

    /// <summary>A valid body whose clients (or any other field) is given as raw JSON.</summary>
    static string RawProject(string clientsProperty = "\"clients\": [\"123-1231\"],", string milestonesProperty = "\"milestonesEnabled\": true,") => $$"""
        { "externalId": "raw", "name": "Raw", "partnerPhaseName": "Intake", {{clientsProperty}}
          "partnerProjectTypeName": "Web Dev", {{milestonesProperty}} "status": "Not Started" }
        """;

    Task<int> ProjectCountAsync(CasewireApp.Tenant tenant) =>
        app.WithDbAsync(db => db.Projects.CountAsync(p => p.CompanyId == tenant.CompanyId));

    Task<int> ProjectTypeCountAsync(CasewireApp.Tenant tenant) =>
        app.WithDbAsync(db => db.ProjectTypes.CountAsync(t => t.CompanyId == tenant.CompanyId));

    Task<List<(int Step, string Name)>> PhasesAsync(int projectTypeId) => app.WithDbAsync(async db =>
        (await db.Phases.Where(p => p.ProjectTypeId == projectTypeId).OrderBy(p => p.Step).ToListAsync())
        .Select(p => (p.Step, p.Name)).ToList());

    static string[] ClientExternalIds(JsonObject project) =>
        project["clients"]!.AsArray().Select(c => (string)c!["externalId"]!).ToArray();

    [Fact]
    public async Task PublishedFieldListCreatesProjectWith201InThePublishedShape()
    {
        var tenant = await app.NewTenantAsync();
        var contact = await ContactAsync(tenant, "123-1231");

        var response = await tenant.Http.PutJsonAsync("/partner/v2/projects", PublishedFieldList);

        var body = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.True(body["id"]!.GetValue<int>() > 0);
        Assert.Equal("123-3123-123", (string?)body["externalId"]);
        Assert.Equal("New Project", (string?)body["name"]);
        Assert.Equal(0, body["phaseStep"]!.GetValue<int>());
        var client = Assert.Single(body["clients"]!.AsArray())!.AsObject();
        Assert.Equal(contact["id"]!.GetValue<int>(), client["id"]!.GetValue<int>());
        Assert.Equal("123-1231", (string?)client["externalId"]);
        Assert.Equal("John", (string?)client["firstName"]);
        Assert.Equal("Doe", (string?)client["lastName"]);
        Assert.Equal("john.doe@example.com", (string?)client["email"]);
        Assert.Equal("+15551234567", (string?)client["phone"]);
        Assert.Equal(contact.Compact(), client.Compact()); // the contact representation of §2
        var projectType = body["projectType"]!.AsObject();
        Assert.True(projectType["id"]!.GetValue<int>() > 0);
        Assert.Equal("Web Dev", (string?)projectType["name"]);
        Assert.True(body["milestonesEnabled"]!.GetValue<bool>());
        Assert.Equal("Not Started", (string?)body["status"]);

        var stored = await app.WithDbAsync(db => db.Projects.Include(p => p.Clients)
            .SingleAsync(p => p.CompanyId == tenant.CompanyId));
        Assert.Equal(body["id"]!.GetValue<int>(), stored.Id);
        Assert.Equal(projectType["id"]!.GetValue<int>(), stored.ProjectTypeId);
        Assert.Equal(contact["id"]!.GetValue<int>(), Assert.Single(stored.Clients).ContactId);
    }

    [Fact]
    public async Task SecondPutWithSameBodyReturns200AndTheSameRepresentation()
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "123-1231");
        var first = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", PublishedFieldList)).ExpectAsync(HttpStatusCode.Created);

        var second = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", PublishedFieldList)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(first.Compact(), second.Compact());
        Assert.Equal(1, await ProjectCountAsync(tenant));
        Assert.Equal(1, await ProjectTypeCountAsync(tenant));
    }

    [Fact]
    public async Task AnUpdateChangesNameStatusAndMilestonesEnabled()
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "c1");
        var created = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["c1"]))).ExpectAsync(HttpStatusCode.Created);

        var updated = await (await tenant.Http.PutJsonAsync("/partner/v2/projects",
            Project("p1", ["c1"], name: "Doe v. Roe", status: "Completed", milestonesEnabled: false))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(created["id"]!.GetValue<int>(), updated["id"]!.GetValue<int>());
        Assert.Equal("Doe v. Roe", (string?)updated["name"]);
        Assert.Equal("Completed", (string?)updated["status"]);
        Assert.False(updated["milestonesEnabled"]!.GetValue<bool>());
        var stored = await app.WithDbAsync(db => db.Projects.SingleAsync(p => p.CompanyId == tenant.CompanyId));
        Assert.Equal("Doe v. Roe", stored.Name);
        Assert.False(stored.MilestonesEnabled);
    }

    [Theory]
    [InlineData("ID")]                                 // a number: the contact's Casewire id
    [InlineData("\"123-1231\"")]                       // a string: the contact's externalId
    [InlineData("{ \"id\": ID }")]
    [InlineData("{ \"externalId\": \"123-1231\" }")]   // the published form, with its key quoted
    public async Task EveryClientReferenceFormResolvesToTheRightContact(string reference)
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "decoy", firstName: "Decoy");
        var target = await ContactAsync(tenant, "123-1231", firstName: "Target");
        var targetId = target["id"]!.GetValue<int>();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/projects",
            RawProject($"\"clients\": [{reference.Replace("ID", targetId.ToString())}],"));

        var body = await response.ExpectAsync(HttpStatusCode.Created);
        var client = Assert.Single(body["clients"]!.AsArray())!;
        Assert.Equal(targetId, client["id"]!.GetValue<int>());
        Assert.Equal("Target", (string?)client["firstName"]);
        var linked = await app.WithDbAsync(db => db.ProjectClients
            .Where(pc => pc.ProjectId == body["id"]!.GetValue<int>()).Select(pc => pc.ContactId).ToListAsync());
        Assert.Equal([targetId], linked);
    }

    [Fact]
    public async Task CoClientsAreReturnedInTheGivenOrderAndALaterListReplacesThem()
    {
        var tenant = await app.NewTenantAsync();
        var a = (await ContactAsync(tenant, "A"))["id"]!.GetValue<int>();
        var b = (await ContactAsync(tenant, "B"))["id"]!.GetValue<int>();
        var c = (await ContactAsync(tenant, "C"))["id"]!.GetValue<int>();

        var first = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["B", "A"]))).ExpectAsync(HttpStatusCode.Created);
        var second = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", [c, "B"]))).ExpectAsync(HttpStatusCode.OK);
        var fetched = await (await tenant.Http.GetAsync("/partner/v2/projects/p1")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["B", "A"], ClientExternalIds(first));
        Assert.Equal(["C", "B"], ClientExternalIds(second));
        Assert.Equal(["C", "B"], ClientExternalIds(fetched));
        var linked = await app.WithDbAsync(db => db.ProjectClients
            .Where(pc => pc.ProjectId == second["id"]!.GetValue<int>()).Select(pc => pc.ContactId).ToListAsync());
        Assert.Equal(new[] { b, c }.Order(), linked.Order());
        Assert.DoesNotContain(a, linked);
    }

    [Fact]
    public async Task AnUnknownClientIsA422NamingItAndNothingIsCreated()
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "known");

        var response = await tenant.Http.PutJsonAsync("/partner/v2/projects",
            """
            { "externalId": "p1", "name": "P", "partnerPhaseName": "Intake", "clients": ["known", {"externalId": "ghost-77"}],
              "partnerProjectTypeName": "Never Seen Type", "milestonesEnabled": true, "status": "Not Started" }
            """);

        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("ghost-77", string.Join(" ", problem.ErrorsFor("clients")));
        Assert.Equal(0, await ProjectCountAsync(tenant));
        Assert.Equal(0, await ProjectTypeCountAsync(tenant));
    }

    [Theory]
    [InlineData("THEIR_ID")]
    [InlineData("{ \"id\": THEIR_ID }")]
    [InlineData("\"theirs\"")]
    [InlineData("{ \"externalId\": \"theirs\" }")]
    public async Task AContactOfAnotherCompanyIsA422(string reference)
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        await ContactAsync(tenant, "mine");
        var theirs = await ContactAsync(other, "theirs");

        var response = await tenant.Http.PutJsonAsync("/partner/v2/projects",
            RawProject($"\"clients\": [{reference.Replace("THEIR_ID", theirs["id"]!.ToString())}],"));

        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(problem.ErrorsFor("clients"));
        Assert.Equal(0, await ProjectCountAsync(tenant));
        Assert.Equal(0, await ProjectTypeCountAsync(tenant));
    }

    [Fact]
    public async Task AnExternalIdUsedByTwoCompaniesResolvesToTheCallersOwnContact()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        await ContactAsync(other, "shared", firstName: "Theirs");
        var mine = await ContactAsync(tenant, "shared", firstName: "Mine");

        var body = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["shared"]))).ExpectAsync(HttpStatusCode.Created);

        var client = Assert.Single(body["clients"]!.AsArray())!;
        Assert.Equal(mine["id"]!.GetValue<int>(), client["id"]!.GetValue<int>());
        Assert.Equal("Mine", (string?)client["firstName"]);
    }

    [Theory]
    [InlineData("")]                                        // missing
    [InlineData("\"clients\": null,")]
    [InlineData("\"clients\": [],")]
    [InlineData("\"clients\": \"123-1231\",")]               // not an array
    [InlineData("\"clients\": [true],")]
    [InlineData("\"clients\": [{}],")]
    [InlineData("\"clients\": [-1],")]
    [InlineData("\"clients\": [0],")]
    [InlineData("\"clients\": [1.5],")]
    [InlineData("\"clients\": [\"  \"],")]
    [InlineData("\"clients\": [{\"externalId\": 5}],")]
    [InlineData("\"clients\": [\"123-1231\", [\"123-1231\"]],")]
    public async Task AMissingEmptyOrMalformedClientListIsA400NamingClients(string clientsProperty)
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "123-1231");

        var response = await tenant.Http.PutJsonAsync("/partner/v2/projects", RawProject(clientsProperty));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("clients"));
        Assert.Equal(["clients"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    [Fact]
    public async Task MissingRequiredFieldsAreAllNamedInOne400()
    {
        var tenant = await app.NewTenantAsync();

        var problem = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", "{}")).ProblemAsync(HttpStatusCode.BadRequest);

        foreach (var field in new[] { "externalId", "name", "partnerPhaseName", "clients", "partnerProjectTypeName", "milestonesEnabled", "status" })
            Assert.True(problem.ErrorsFor(field).Length > 0, $"errors.{field} missing: {problem.Compact()}");
    }

    [Theory]
    [InlineData("Not Started", "Not Started")]
    [InlineData("In Progress", "In Progress")]
    [InlineData("Completed", "Completed")]
    [InlineData("not started", "Not Started")]
    [InlineData("IN PROGRESS", "In Progress")]
    [InlineData("completed", "Completed")]
    [InlineData("Complete", "Completed")]
    [InlineData("NotStarted", "Not Started")]
    [InlineData("not_started", "Not Started")]
    [InlineData("in_progress", "In Progress")]
    public async Task EachStatusAndAliasIsAcceptedAndReturnedCanonical(string sent, string canonical)
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "c1");

        var body = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["c1"], status: sent)))
            .ExpectAsync(HttpStatusCode.Created);
        var fetched = await (await tenant.Http.GetAsync("/partner/v2/projects/p1")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(canonical, (string?)body["status"]);
        Assert.Equal(canonical, (string?)fetched["status"]);
    }

    [Theory]
    [InlineData("Done")]
    [InlineData("")]
    [InlineData("Started")]
    [InlineData(null)]
    public async Task AnUnknownStatusIsA400ListingTheThreeValues(string? status)
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "c1");

        var response = await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["c1"], status: status));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        var message = string.Join(" ", problem.ErrorsFor("status"));
        foreach (var value in ThreeStatuses) Assert.Contains(value, message);
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    [Theory]
    [InlineData("")]                                  // missing
    [InlineData("\"milestonesEnabled\": null,")]
    [InlineData("\"milestonesEnabled\": \"yes\",")]   // a wrong JSON type
    [InlineData("\"milestonesEnabled\": 1,")]
    public async Task AMissingOrNonBooleanMilestonesEnabledIsA400NamingIt(string milestonesProperty)
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "123-1231");

        var response = await tenant.Http.PutJsonAsync("/partner/v2/projects", RawProject(milestonesProperty: milestonesProperty));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("milestonesEnabled"));
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    [Fact]
    public async Task UnknownTypesAndPhasesAreLearnedInOrderOfFirstAppearance()
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "c1");

        var intake = await (await tenant.Http.PutJsonAsync("/partner/v2/projects",
            Project("p1", ["c1"], phase: "Intake", type: "Personal Injury"))).ExpectAsync(HttpStatusCode.Created);
        var discovery = await (await tenant.Http.PutJsonAsync("/partner/v2/projects",
            Project("p1", ["c1"], phase: "Discovery", type: "Personal Injury"))).ExpectAsync(HttpStatusCode.OK);
        var intakeAgain = await (await tenant.Http.PutJsonAsync("/partner/v2/projects",
            Project("p2", ["c1"], phase: " intake ", type: "personal injury"))).ExpectAsync(HttpStatusCode.Created);
        var trial = await (await tenant.Http.PutJsonAsync("/partner/v2/projects",
            Project("p2", ["c1"], phase: "Trial", type: "PERSONAL INJURY"))).ExpectAsync(HttpStatusCode.OK);
        var backToIntake = await (await tenant.Http.PutJsonAsync("/partner/v2/projects",
            Project("p1", ["c1"], phase: "INTAKE", type: "Personal Injury"))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([0, 1, 0, 2, 0], new[] { intake, discovery, intakeAgain, trial, backToIntake }.Select(b => b["phaseStep"]!.GetValue<int>()));
        var typeId = intake["projectType"]!["id"]!.GetValue<int>();
        foreach (var body in new[] { discovery, intakeAgain, trial, backToIntake })
        {
            Assert.Equal(typeId, body["projectType"]!["id"]!.GetValue<int>());
            Assert.Equal("Personal Injury", (string?)body["projectType"]!["name"]);
        }
        Assert.Equal(1, await ProjectTypeCountAsync(tenant));
        Assert.Equal([(0, "Intake"), (1, "Discovery"), (2, "Trial")], await PhasesAsync(typeId));
    }

    [Fact]
    public async Task EachTypeLearnsItsOwnPhasesFromStepZero()
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "c1");
        await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["c1"], phase: "Intake", type: "Personal Injury"));

        var webDev = await (await tenant.Http.PutJsonAsync("/partner/v2/projects",
            Project("p2", ["c1"], phase: "Discovery", type: "Web Dev"))).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(0, webDev["phaseStep"]!.GetValue<int>());
        Assert.Equal(2, await ProjectTypeCountAsync(tenant));
        Assert.Equal([(0, "Discovery")], await PhasesAsync(webDev["projectType"]!["id"]!.GetValue<int>()));
    }

    [Fact]
    public async Task InALockedTypeAnUnmappedPhaseIsRecordedAndTheProjectStaysInItsLastMappedPhase()
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "c1");
        var a = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["c1"], phase: "A", type: "Estate")))
            .ExpectAsync(HttpStatusCode.Created);
        await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["c1"], phase: "B", type: "Estate"))).ExpectAsync(HttpStatusCode.OK);
        await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p2", ["c1"], phase: "C", type: "Estate"))).ExpectAsync(HttpStatusCode.Created);
        var typeId = a["projectType"]!["id"]!.GetValue<int>();
        await app.WithDbAsync(async db =>
        {
            var type = await db.ProjectTypes.SingleAsync(t => t.Id == typeId);
            type.IsLocked = true;
            await db.SaveChangesAsync();
        });
        var phaseChangesBefore = await app.WithDbAsync(db => db.PhaseChanges.CountAsync(c => c.ProjectId == a["id"]!.GetValue<int>()));

        var moved = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["c1"], phase: "Z", type: "Estate")))
            .ExpectAsync(HttpStatusCode.OK);
        var fetched = await (await tenant.Http.GetAsync("/partner/v2/projects/p1")).ExpectAsync(HttpStatusCode.OK);
        var fresh = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p3", ["c1"], phase: "Y", type: "Estate")))
            .ExpectAsync(HttpStatusCode.Created);
        var mapped = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["c1"], phase: "c", type: "Estate")))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(1, moved["phaseStep"]!.GetValue<int>());
        Assert.Equal("Z", (string?)moved["partnerPhaseName"]);
        Assert.Equal(1, fetched["phaseStep"]!.GetValue<int>());
        Assert.Equal("Z", (string?)fetched["partnerPhaseName"]);
        Assert.Equal(0, fresh["phaseStep"]!.GetValue<int>());
        Assert.Equal(typeId, fresh["projectType"]!["id"]!.GetValue<int>());
        Assert.Equal(2, mapped["phaseStep"]!.GetValue<int>());
        Assert.Equal([(0, "A"), (1, "B"), (2, "C")], await PhasesAsync(typeId));
        var unmapped = await app.WithDbAsync(db => db.UnmappedPhaseNames.Where(u => u.ProjectTypeId == typeId)
            .Select(u => u.Name).OrderBy(n => n).ToListAsync());
        Assert.Equal(["Y", "Z"], unmapped);
        // Staying in B after "Z" is no phase change; moving to C afterwards is one.
        Assert.Equal(phaseChangesBefore + 1,
            await app.WithDbAsync(db => db.PhaseChanges.CountAsync(c => c.ProjectId == a["id"]!.GetValue<int>())));
    }

    [Fact]
    public async Task PhaseChangesAreRecordedOnCreateAndMoveButNotWhenThePhaseIsResent()
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "c1");
        var created = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["c1"], phase: "Intake")))
            .ExpectAsync(HttpStatusCode.Created);
        var projectId = created["id"]!.GetValue<int>();
        var typeId = created["projectType"]!["id"]!.GetValue<int>();

        await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["c1"], phase: "Discovery"))).ExpectAsync(HttpStatusCode.OK);
        await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["c1"], phase: "Discovery"))).ExpectAsync(HttpStatusCode.OK);
        await (await tenant.Http.PutJsonAsync("/partner/v2/projects",
            Project("p1", ["c1"], phase: " discovery ", name: "Renamed", status: "In Progress"))).ExpectAsync(HttpStatusCode.OK);

        var phaseIds = await app.WithDbAsync(db => db.Phases.Where(p => p.ProjectTypeId == typeId).ToDictionaryAsync(p => p.Name, p => p.Id));
        var changes = await app.WithDbAsync(async db => (await db.PhaseChanges.Where(c => c.ProjectId == projectId).ToListAsync())
            .OrderBy(c => c.Id).Select(c => (c.FromPhaseId, c.ToPhaseId)).ToList());
        Assert.Equal([(null, phaseIds["Intake"]), (phaseIds["Intake"], phaseIds["Discovery"])], changes);
    }

    [Fact]
    public async Task TwentyConcurrentFirstPutsCreateOneProjectAndLearnOnePhase()
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "c1");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            tenant.Http.PutJsonAsync("/partner/v2/projects", Project("race", ["c1"], phase: "Intake", type: "Race Type"))));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.True(statuses.Count(s => s == 201) == 1 && statuses.Count(s => s == 200) == 19,
            $"statuses: {string.Join(",", statuses)}; first non-2xx: " +
            await (responses.FirstOrDefault(r => (int)r.StatusCode >= 300)?.Content.ReadAsStringAsync() ?? Task.FromResult("")));
        Assert.Equal(1, await ProjectCountAsync(tenant));
        Assert.Equal(1, await ProjectTypeCountAsync(tenant));
        var bodies = await Task.WhenAll(responses.Select(r => r.JsonAsync()));
        Assert.Single(bodies.Select(b => b["id"]!.GetValue<int>()).Distinct());
        Assert.Equal([(0, "Intake")], await PhasesAsync(bodies[0]["projectType"]!["id"]!.GetValue<int>()));
    }

    [Fact]
    public async Task GetByExternalIdReturnsThePutRepresentationAndUnknownIsA404Problem()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        await ContactAsync(tenant, "A");
        await ContactAsync(tenant, "B");
        var put = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project("p1", ["B", "A"], phase: "Discovery")))
            .ExpectAsync(HttpStatusCode.Created);

        var found = await (await tenant.Http.GetAsync("/partner/v2/projects/p1")).ExpectAsync(HttpStatusCode.OK);
        var missing = await tenant.Http.GetAsync("/partner/v2/projects/nope");
        var otherCompany = await other.Http.GetAsync("/partner/v2/projects/p1");

        Assert.Equal(put.Compact(), found.Compact());
        Assert.Contains("nope", (string?)(await missing.ProblemAsync(HttpStatusCode.NotFound))["detail"]);
        await otherCompany.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("2024/0012")]   // matter numbers with a slash are common in law-firm CMSs
    [InlineData("p 1 & co?")]
    public async Task GetByExternalIdFindsAnExternalIdThatNeedsEscapingInThePath(string externalId)
    {
        var tenant = await app.NewTenantAsync();
        await ContactAsync(tenant, "c1");
        var put = await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project(externalId, ["c1"]))).ExpectAsync(HttpStatusCode.Created);

        var found = await (await tenant.Http.GetAsync("/partner/v2/projects/" + Uri.EscapeDataString(externalId))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(externalId, (string?)found["externalId"]);
        Assert.Equal(put.Compact(), found.Compact());
    }

    [Fact]
    public async Task ListPagesThroughEveryProjectWithAnOpaqueCursor()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        await ContactAsync(tenant, "c1");
        await ContactAsync(other, "c1");
        await other.Http.PutJsonAsync("/partner/v2/projects", Project("theirs", ["c1"]));
        for (var i = 0; i < 5; i++)
            await (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project($"L{i}", ["c1"]))).ExpectAsync(HttpStatusCode.Created);

        var seen = new List<JsonObject>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await tenant.Http.GetAsync($"/partner/v2/projects?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}"))
                .ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page["items"]!.AsArray().Select(p => p!.AsObject()));
            cursor = (string?)page["nextCursor"];
            Assert.True(cursor is null || Uri.EscapeDataString(cursor) == cursor, "cursor must be URL-safe");
            pages++;
        } while (cursor is not null);

        Assert.Equal(["L0", "L1", "L2", "L3", "L4"], seen.Select(p => (string)p["externalId"]!));
        Assert.Equal(3, pages);
        var single = await (await tenant.Http.GetAsync("/partner/v2/projects/L3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(single.Compact(), seen[3].Compact());
    }
}
