using System.Net;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>
/// SPEC §1: every token belongs to one company and every id is looked up within that company only;
/// two companies may use the same external ids without ever seeing each other's data.
/// </summary>
public sealed class TenancyTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    static object Contact(string externalId, string firstName, string phone = "+15551234567") =>
        new { externalId, firstName, lastName = "Doe", phone };

    static object Project(string externalId, string name, params object[] clients) => new
    {
        externalId, name, partnerPhaseName = "Intake", clients, partnerProjectTypeName = "Personal Injury",
        milestonesEnabled = true, status = "In Progress",
    };

    [Fact]
    public async Task TheSameExternalIdsInTwoCompaniesAreTwoSeparateRecordsEachReadByItsOwnCompany()
    {
        var a = await app.NewTenantAsync();
        var b = await app.NewTenantAsync();

        var contactA = await (await a.Http.PutJsonAsync("/partner/v2/contacts", Contact("shared-1", "Alice", "+15551110001"))).ExpectAsync(HttpStatusCode.Created);
        var contactB = await (await b.Http.PutJsonAsync("/partner/v2/contacts", Contact("shared-1", "Bob", "+15552220002"))).ExpectAsync(HttpStatusCode.Created);
        var projectA = await (await a.Http.PutJsonAsync("/partner/v2/projects", Project("case-1", "Alice v. Acme", "shared-1"))).ExpectAsync(HttpStatusCode.Created);
        var projectB = await (await b.Http.PutJsonAsync("/partner/v2/projects", Project("case-1", "Bob v. Bolt", "shared-1"))).ExpectAsync(HttpStatusCode.Created);

        Assert.NotEqual((int)contactA["id"]!, (int)contactB["id"]!);
        Assert.NotEqual((int)projectA["id"]!, (int)projectB["id"]!);

        var readContactA = await (await a.Http.GetAsync("/partner/v2/contacts/shared-1")).ExpectAsync(HttpStatusCode.OK);
        var readContactB = await (await b.Http.GetAsync("/partner/v2/contacts/shared-1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Alice", (string?)readContactA["firstName"]);
        Assert.Equal("+15551110001", (string?)readContactA["phone"]);
        Assert.Equal((int)contactA["id"]!, (int)readContactA["id"]!);
        Assert.Equal("Bob", (string?)readContactB["firstName"]);
        Assert.Equal("+15552220002", (string?)readContactB["phone"]);
        Assert.Equal((int)contactB["id"]!, (int)readContactB["id"]!);

        var readProjectA = await (await a.Http.GetAsync("/partner/v2/projects/case-1")).ExpectAsync(HttpStatusCode.OK);
        var readProjectB = await (await b.Http.GetAsync("/partner/v2/projects/case-1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Alice v. Acme", (string?)readProjectA["name"]);
        Assert.Equal((int)contactA["id"]!, (int)Assert.Single(readProjectA["clients"]!.AsArray())!["id"]!);
        Assert.Equal("Bob v. Bolt", (string?)readProjectB["name"]);
        Assert.Equal((int)contactB["id"]!, (int)Assert.Single(readProjectB["clients"]!.AsArray())!["id"]!);

        // Each company learned its own project type, even with the same name.
        Assert.NotEqual((int)projectA["projectType"]!["id"]!, (int)projectB["projectType"]!["id"]!);
    }

    [Fact]
    public async Task APutByOneCompanyCreatesItsOwnRowAndNeverChangesTheOtherCompanysRowWithTheSameExternalId()
    {
        var a = await app.NewTenantAsync();
        var b = await app.NewTenantAsync();
        await (await a.Http.PutJsonAsync("/partner/v2/contacts", Contact("same", "Alice", "+15551110001"))).ExpectAsync(HttpStatusCode.Created);
        await (await a.Http.PutJsonAsync("/partner/v2/projects", Project("same-case", "Alice's case", "same"))).ExpectAsync(HttpStatusCode.Created);

        var before = await app.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.CompanyId == a.CompanyId && c.ExternalId == "same"));
        app.Time.Advance(TimeSpan.FromMinutes(5));

        // B's first PUT of the same keys is a create (201), not an update of A's rows.
        await (await b.Http.PutJsonAsync("/partner/v2/contacts", Contact("same", "Mallory", "+15559990009"))).ExpectAsync(HttpStatusCode.Created);
        await (await b.Http.PutJsonAsync("/partner/v2/projects", Project("same-case", "Mallory's case", "same"))).ExpectAsync(HttpStatusCode.Created);
        // And B's second PUT is an update of B's own rows.
        await (await b.Http.PutJsonAsync("/partner/v2/contacts", Contact("same", "Mallory2", "+15559990009"))).ExpectAsync(HttpStatusCode.OK);
        await (await b.Http.PutJsonAsync("/partner/v2/projects", Project("same-case", "Mallory's case 2", "same"))).ExpectAsync(HttpStatusCode.OK);

        var aContact = await app.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.CompanyId == a.CompanyId && c.ExternalId == "same"));
        Assert.Equal("Alice", aContact.FirstName);
        Assert.Equal("+15551110001", aContact.Phone);
        Assert.Equal(before.UpdatedAt, aContact.UpdatedAt);
        var aProject = await app.WithDbAsync(db => db.Projects.AsNoTracking().Include(p => p.Clients)
            .SingleAsync(p => p.CompanyId == a.CompanyId && p.ExternalId == "same-case"));
        Assert.Equal("Alice's case", aProject.Name);
        Assert.Equal(aContact.Id, Assert.Single(aProject.Clients).ContactId);

        var bContact = await app.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.CompanyId == b.CompanyId && c.ExternalId == "same"));
        Assert.Equal("Mallory2", bContact.FirstName);
        Assert.NotEqual(aContact.Id, bContact.Id);
        var bProject = await app.WithDbAsync(db => db.Projects.AsNoTracking().Include(p => p.Clients)
            .SingleAsync(p => p.CompanyId == b.CompanyId && p.ExternalId == "same-case"));
        Assert.Equal("Mallory's case 2", bProject.Name);
        Assert.Equal(bContact.Id, Assert.Single(bProject.Clients).ContactId);
    }

    [Fact]
    public async Task ListsReturnOnlyTheTokensOwnCompanysRows()
    {
        var a = await app.NewTenantAsync();
        var b = await app.NewTenantAsync();
        foreach (var id in new[] { "a1", "a2", "both" })
            await (await a.Http.PutJsonAsync("/partner/v2/contacts", Contact(id, "A"))).ExpectAsync(HttpStatusCode.Created);
        foreach (var id in new[] { "b1", "both" })
            await (await b.Http.PutJsonAsync("/partner/v2/contacts", Contact(id, "B"))).ExpectAsync(HttpStatusCode.Created);
        await (await a.Http.PutJsonAsync("/partner/v2/projects", Project("pa", "A's", "a1"))).ExpectAsync(HttpStatusCode.Created);
        await (await b.Http.PutJsonAsync("/partner/v2/projects", Project("pb", "B's", "b1"))).ExpectAsync(HttpStatusCode.Created);
        await (await b.Http.PutJsonAsync("/partner/v2/projects", Project("pb2", "B's too", "both"))).ExpectAsync(HttpStatusCode.Created);

        var aContacts = await (await a.Http.GetAsync("/partner/v2/contacts?limit=200")).ExpectAsync(HttpStatusCode.OK);
        var bContacts = await (await b.Http.GetAsync("/partner/v2/contacts?limit=200")).ExpectAsync(HttpStatusCode.OK);
        var aProjects = await (await a.Http.GetAsync("/partner/v2/projects?limit=200")).ExpectAsync(HttpStatusCode.OK);
        var bProjects = await (await b.Http.GetAsync("/partner/v2/projects?limit=200")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["a1", "a2", "both"], aContacts["items"]!.AsArray().Select(c => (string)c!["externalId"]!));
        Assert.All(aContacts["items"]!.AsArray(), c => Assert.Equal("A", (string?)c!["firstName"]));
        Assert.Equal(["b1", "both"], bContacts["items"]!.AsArray().Select(c => (string)c!["externalId"]!));
        Assert.All(bContacts["items"]!.AsArray(), c => Assert.Equal("B", (string?)c!["firstName"]));
        Assert.Equal(["pa"], aProjects["items"]!.AsArray().Select(p => (string)p!["externalId"]!));
        Assert.Equal(["pb", "pb2"], bProjects["items"]!.AsArray().Select(p => (string)p!["externalId"]!));
        Assert.Null(aContacts["nextCursor"]);
        Assert.Null(bProjects["nextCursor"]);
    }

    [Fact]
    public async Task ACursorFromAnotherCompanysListShowsNothingOfThatCompany()
    {
        var a = await app.NewTenantAsync();
        var b = await app.NewTenantAsync();
        for (var i = 0; i < 3; i++)
            await (await b.Http.PutJsonAsync("/partner/v2/contacts", Contact($"b{i}", "B"))).ExpectAsync(HttpStatusCode.Created);
        var bFirstPage = await (await b.Http.GetAsync("/partner/v2/contacts?limit=1")).ExpectAsync(HttpStatusCode.OK);
        var bCursor = (string)bFirstPage["nextCursor"]!;

        var page = await a.Http.GetAsync($"/partner/v2/contacts?cursor={bCursor}");

        // Whether the foreign cursor is refused (400) or read as a position, A sees none of B's rows.
        Assert.NotEqual(HttpStatusCode.InternalServerError, page.StatusCode);
        if (page.StatusCode == HttpStatusCode.OK)
            Assert.Empty((await page.JsonAsync())["items"]!.AsArray());
        else
            await page.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnotherCompanysContactOrProjectIsA404ByExternalId()
    {
        var a = await app.NewTenantAsync();
        var b = await app.NewTenantAsync();
        await (await b.Http.PutJsonAsync("/partner/v2/contacts", Contact("only-in-b", "Bob"))).ExpectAsync(HttpStatusCode.Created);
        await (await b.Http.PutJsonAsync("/partner/v2/projects", Project("case-only-in-b", "Secret", "only-in-b"))).ExpectAsync(HttpStatusCode.Created);

        var contact = await (await a.Http.GetAsync("/partner/v2/contacts/only-in-b")).ProblemAsync(HttpStatusCode.NotFound);
        var project = await (await a.Http.GetAsync("/partner/v2/projects/case-only-in-b")).ProblemAsync(HttpStatusCode.NotFound);

        Assert.DoesNotContain("Bob", contact.Compact());
        Assert.DoesNotContain(b.Slug, contact.Compact());
        Assert.DoesNotContain("Secret", project.Compact());
        Assert.DoesNotContain(b.Slug, project.Compact());
    }

    [Theory]
    [InlineData("number")]
    [InlineData("object-id")]
    public async Task ReferencingAnotherCompanysContactByItsCasewireIdIsA422AndCreatesNothing(string form)
    {
        var a = await app.NewTenantAsync();
        var b = await app.NewTenantAsync();
        await (await a.Http.PutJsonAsync("/partner/v2/contacts", Contact("mine", "Alice"))).ExpectAsync(HttpStatusCode.Created);
        var foreign = await (await b.Http.PutJsonAsync("/partner/v2/contacts", Contact("theirs", "Bob"))).ExpectAsync(HttpStatusCode.Created);
        var foreignId = (int)foreign["id"]!;
        object reference = form == "number" ? foreignId : new { id = foreignId };

        var response = await a.Http.PutJsonAsync("/partner/v2/projects", Project("stolen", "Stolen", "mine", reference));

        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var error = Assert.Single(problem.ErrorsFor("clients"));
        Assert.Contains("clients[1]", error);
        Assert.Contains($"id {foreignId}", error);
        Assert.DoesNotContain("Bob", problem.Compact());
        Assert.Equal(0, await app.WithDbAsync(db => db.Projects.CountAsync(p => p.CompanyId == a.CompanyId)));
        Assert.Equal(0, await app.WithDbAsync(db => db.ProjectClients.CountAsync(pc => pc.ContactId == foreignId)));
    }

    [Fact]
    public async Task ReferencingAnotherCompanysContactByExternalIdIsA422()
    {
        var a = await app.NewTenantAsync();
        var b = await app.NewTenantAsync();
        await (await b.Http.PutJsonAsync("/partner/v2/contacts", Contact("theirs-only", "Bob"))).ExpectAsync(HttpStatusCode.Created);

        var response = await a.Http.PutJsonAsync("/partner/v2/projects", Project("p", "P", "theirs-only"));

        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("theirs-only", Assert.Single(problem.ErrorsFor("clients")));
        Assert.Equal(0, await app.WithDbAsync(db => db.Projects.CountAsync(p => p.CompanyId == a.CompanyId)));
    }

    [Fact]
    public async Task AnUpdateCannotMoveAProjectOntoAnotherCompanysContact()
    {
        var a = await app.NewTenantAsync();
        var b = await app.NewTenantAsync();
        var mine = await (await a.Http.PutJsonAsync("/partner/v2/contacts", Contact("mine", "Alice"))).ExpectAsync(HttpStatusCode.Created);
        var foreign = await (await b.Http.PutJsonAsync("/partner/v2/contacts", Contact("theirs", "Bob"))).ExpectAsync(HttpStatusCode.Created);
        await (await a.Http.PutJsonAsync("/partner/v2/projects", Project("p", "P", "mine"))).ExpectAsync(HttpStatusCode.Created);

        var response = await a.Http.PutJsonAsync("/partner/v2/projects", Project("p", "P renamed", (int)foreign["id"]!));

        await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var stored = await app.WithDbAsync(db => db.Projects.AsNoTracking().Include(p => p.Clients)
            .SingleAsync(p => p.CompanyId == a.CompanyId && p.ExternalId == "p"));
        Assert.Equal("P", stored.Name);
        Assert.Equal((int)mine["id"]!, Assert.Single(stored.Clients).ContactId);
    }

    [Fact]
    public async Task MeShowsOnlyTheTokensOwnCompany()
    {
        var a = await app.NewTenantAsync();
        var b = await app.NewTenantAsync();

        var meA = await (await a.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        var meB = await (await b.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(a.Slug, (string?)meA["company"]!["slug"]);
        Assert.Equal("Firm " + a.Slug, (string?)meA["company"]!["name"]);
        Assert.Equal("tests", (string?)meA["token"]!["name"]);
        Assert.Equal(a.Token[..11], (string?)meA["token"]!["prefix"]);
        Assert.Equal(b.Slug, (string?)meB["company"]!["slug"]);
        Assert.Equal("Firm " + b.Slug, (string?)meB["company"]!["name"]);
        Assert.Equal(b.Token[..11], (string?)meB["token"]!["prefix"]);
        Assert.DoesNotContain(b.Slug, meA.Compact());
        Assert.DoesNotContain(a.Slug, meB.Compact());
    }
}
