using System.Net;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>SPEC §4 (extension): PUT /partner/v2/team-members and GET by externalId.</summary>
public sealed class TeamMembersTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    const string Example =
        """{ "externalId": "32435", "firstName": "Jane", "lastName": "Smith", "email": "jane.smith@example.com", "phone": "+15551234567", "title": "Paralegal" }""";

    [Fact]
    public async Task PutCreatesATeamMemberWith201AndTheSameBodyAgainIs200WithTheSameRepresentation()
    {
        var tenant = await app.NewTenantAsync();

        var first = await (await tenant.Http.PutJsonAsync("/partner/v2/team-members", Example)).ExpectAsync(HttpStatusCode.Created);
        var second = await (await tenant.Http.PutJsonAsync("/partner/v2/team-members", Example)).ExpectAsync(HttpStatusCode.OK);

        Assert.True(first["id"]!.GetValue<int>() > 0);
        Assert.Equal("32435", (string?)first["externalId"]);
        Assert.Equal("Jane", (string?)first["firstName"]);
        Assert.Equal("Smith", (string?)first["lastName"]);
        Assert.Equal("jane.smith@example.com", (string?)first["email"]);
        Assert.Equal("+15551234567", (string?)first["phone"]);
        Assert.Equal("Paralegal", (string?)first["title"]);
        Assert.Equal(first.Compact(), second.Compact());
        Assert.Equal(1, await app.WithDbAsync(db => db.TeamMembers.CountAsync(m => m.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task AnUpdateChangesTheStoredFields()
    {
        var tenant = await app.NewTenantAsync();
        var created = await (await tenant.Http.PutJsonAsync("/partner/v2/team-members", Example)).ExpectAsync(HttpStatusCode.Created);

        var updated = await (await tenant.Http.PutJsonAsync("/partner/v2/team-members",
            new { externalId = "32435", firstName = "Janet", lastName = "Smith-Jones", email = "janet@example.com" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(created["id"]!.GetValue<int>(), updated["id"]!.GetValue<int>());
        var stored = await app.WithDbAsync(db => db.TeamMembers.SingleAsync(m => m.CompanyId == tenant.CompanyId));
        Assert.Equal(("Janet", "Smith-Jones", "janet@example.com"), (stored.FirstName, stored.LastName, stored.Email));
    }

    [Fact]
    public async Task MissingRequiredFieldsAreAllNamedInOne400()
    {
        var tenant = await app.NewTenantAsync();

        var problem = await (await tenant.Http.PutJsonAsync("/partner/v2/team-members", "{}")).ProblemAsync(HttpStatusCode.BadRequest);

        foreach (var field in new[] { "externalId", "firstName", "lastName", "email" })
            Assert.True(problem.ErrorsFor(field).Length > 0, $"errors.{field} missing: {problem.Compact()}");
    }

    [Theory]
    [InlineData("externalId", null)]
    [InlineData("externalId", "  ")]
    [InlineData("firstName", null)]
    [InlineData("firstName", "")]
    [InlineData("lastName", null)]
    [InlineData("lastName", " ")]
    [InlineData("email", null)]
    [InlineData("email", "")]
    public async Task EachMissingOrBlankRequiredFieldIsA400NamingIt(string field, string? value)
    {
        var tenant = await app.NewTenantAsync();
        var body = new Dictionary<string, string?>
        {
            ["externalId"] = "m1", ["firstName"] = "Jane", ["lastName"] = "Smith", ["email"] = "jane@example.com",
        };
        if (value is null) body.Remove(field);
        else body[field] = value;

        var response = await tenant.Http.PutJsonAsync("/partner/v2/team-members", body);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor(field));
        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(0, await app.WithDbAsync(db => db.TeamMembers.CountAsync(m => m.CompanyId == tenant.CompanyId)));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("jane@")]
    [InlineData("Jane Smith <jane@example.com>")]
    [InlineData("jane@localhost")]
    public async Task AnInvalidEmailIsA400NamingTheEmailField(string email)
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/team-members", new { externalId = "m1", firstName = "A", lastName = "B", email });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("email"));
        Assert.Equal(0, await app.WithDbAsync(db => db.TeamMembers.CountAsync(m => m.CompanyId == tenant.CompanyId)));
    }

    [Theory]
    [InlineData("12")]
    [InlineData("call me")]
    [InlineData("+1555")]
    [InlineData("+1 555 123 4567 8901 234")]
    public async Task AMalformedPhoneIsA400NamingThePhoneField(string phone)
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/team-members",
            new { externalId = "m1", firstName = "A", lastName = "B", email = "a@example.com", phone });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("phone"));
        Assert.Equal(0, await app.WithDbAsync(db => db.TeamMembers.CountAsync(m => m.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task ANationalPhoneIsNormalisedToE164WithTheCompanysRegion()
    {
        var us = await app.NewTenantAsync();
        var gb = await app.NewTenantAsync(region: "GB");

        var usMember = await (await us.Http.PutJsonAsync("/partner/v2/team-members",
            new { externalId = "n1", firstName = "A", lastName = "B", email = "a@example.com", phone = "(555) 123-4567" })).ExpectAsync(HttpStatusCode.Created);
        var gbMember = await (await gb.Http.PutJsonAsync("/partner/v2/team-members",
            new { externalId = "n1", firstName = "A", lastName = "B", email = "a@example.com", phone = "07700 900123" })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("+15551234567", (string?)usMember["phone"]);
        Assert.Equal("+447700900123", (string?)gbMember["phone"]);
        Assert.Equal("+15551234567", await app.WithDbAsync(db => db.TeamMembers.Where(m => m.CompanyId == us.CompanyId).Select(m => m.Phone).SingleAsync()));
    }

    [Fact]
    public async Task AnAbsentPhoneOrTitleKeepsItsValueAndNullClearsIt()
    {
        var tenant = await app.NewTenantAsync();
        await (await tenant.Http.PutJsonAsync("/partner/v2/team-members", Example)).ExpectAsync(HttpStatusCode.Created);

        var kept = await (await tenant.Http.PutJsonAsync("/partner/v2/team-members",
            """{ "externalId": "32435", "firstName": "Jane", "lastName": "Smith", "email": "jane.smith@example.com" }""")).ExpectAsync(HttpStatusCode.OK);
        var phoneCleared = await (await tenant.Http.PutJsonAsync("/partner/v2/team-members",
            """{ "externalId": "32435", "firstName": "Jane", "lastName": "Smith", "email": "jane.smith@example.com", "phone": null }""")).ExpectAsync(HttpStatusCode.OK);
        var titleCleared = await (await tenant.Http.PutJsonAsync("/partner/v2/team-members",
            """{ "externalId": "32435", "firstName": "Jane", "lastName": "Smith", "email": "jane.smith@example.com", "title": null }""")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("+15551234567", (string?)kept["phone"]);
        Assert.Equal("Paralegal", (string?)kept["title"]);
        Assert.Null(phoneCleared["phone"]);
        Assert.Equal("Paralegal", (string?)phoneCleared["title"]);
        Assert.Null(titleCleared["phone"]);
        Assert.Null(titleCleared["title"]);
        var stored = await app.WithDbAsync(db => db.TeamMembers.SingleAsync(m => m.CompanyId == tenant.CompanyId));
        Assert.Null(stored.Phone);
        Assert.Null(stored.Title);
    }

    [Fact]
    public async Task GetByExternalIdReturnsTheMemberAndUnknownIsA404Problem()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        var created = await (await tenant.Http.PutJsonAsync("/partner/v2/team-members", Example)).ExpectAsync(HttpStatusCode.Created);

        var found = await (await tenant.Http.GetAsync("/partner/v2/team-members/32435")).ExpectAsync(HttpStatusCode.OK);
        var missing = await tenant.Http.GetAsync("/partner/v2/team-members/nope");
        var otherCompany = await other.Http.GetAsync("/partner/v2/team-members/32435");

        Assert.Equal(created.Compact(), found.Compact());
        Assert.Contains("nope", (string?)(await missing.ProblemAsync(HttpStatusCode.NotFound))["detail"]);
        await otherCompany.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheSameExternalIdInTwoCompaniesIsTwoSeparateMembers()
    {
        var first = await app.NewTenantAsync();
        var second = await app.NewTenantAsync();

        var a = await (await first.Http.PutJsonAsync("/partner/v2/team-members",
            new { externalId = "u-1", firstName = "Ann", lastName = "First", email = "ann@first.example.com" })).ExpectAsync(HttpStatusCode.Created);
        var b = await (await second.Http.PutJsonAsync("/partner/v2/team-members",
            new { externalId = "u-1", firstName = "Bob", lastName = "Second", email = "bob@second.example.com" })).ExpectAsync(HttpStatusCode.Created);
        var aAgain = await (await first.Http.GetAsync("/partner/v2/team-members/u-1")).ExpectAsync(HttpStatusCode.OK);

        Assert.NotEqual(a["id"]!.GetValue<int>(), b["id"]!.GetValue<int>());
        Assert.Equal("Ann", (string?)aAgain["firstName"]);
        var rows = await app.WithDbAsync(db => db.TeamMembers
            .Where(m => m.ExternalId == "u-1" && (m.CompanyId == first.CompanyId || m.CompanyId == second.CompanyId))
            .Select(m => new { m.CompanyId, m.FirstName }).ToListAsync());
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.CompanyId == first.CompanyId && r.FirstName == "Ann");
        Assert.Contains(rows, r => r.CompanyId == second.CompanyId && r.FirstName == "Bob");
    }

    [Fact]
    public async Task TwentyConcurrentFirstPutsCreateOneTeamMember()
    {
        var tenant = await app.NewTenantAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            tenant.Http.PutJsonAsync("/partner/v2/team-members", new { externalId = "race", firstName = "A", lastName = "B", email = "a@example.com" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(1, await app.WithDbAsync(db => db.TeamMembers.CountAsync(m => m.CompanyId == tenant.CompanyId && m.ExternalId == "race")));
    }
}
