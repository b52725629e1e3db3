using System.Net;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>SPEC §2: PUT /partner/v2/contacts and the read extensions of §9.</summary>
public sealed class ContactsTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    // The published example, with the address the web page mangled read as an ordinary one (SPEC §1).
    const string PublishedExample =
        """{ "externalId": "123-3123-123", "firstName": "John", "lastName": "Doe", "email": "john.doe@example.com", "phone": "+15551234567" }""";

    [Fact]
    public async Task PublishedExampleCreatesContactWith201InThePublishedShape()
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts", PublishedExample);

        var body = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.True(body["id"]!.GetValue<int>() > 0);
        Assert.Equal("123-3123-123", (string?)body["externalId"]);
        Assert.Equal("John", (string?)body["firstName"]);
        Assert.Equal("Doe", (string?)body["lastName"]);
        Assert.Equal("john.doe@example.com", (string?)body["email"]);
        Assert.Equal("+15551234567", (string?)body["phone"]);
        Assert.Equal("/partner/v2/contacts/123-3123-123", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SecondPutWithSameExternalIdReturns200AndTheSameRepresentation()
    {
        var tenant = await app.NewTenantAsync();
        var first = await (await tenant.Http.PutJsonAsync("/partner/v2/contacts", PublishedExample)).ExpectAsync(HttpStatusCode.Created);

        var second = await (await tenant.Http.PutJsonAsync("/partner/v2/contacts", PublishedExample)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(first.Compact(), second.Compact());
        Assert.Equal(1, await app.WithDbAsync(db => db.Contacts.CountAsync(c => c.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task TrailingCommasAndCommentsAreAccepted()
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts", """
            {
              // the CMS's id
              "externalId": "c-trailing",
              "firstName": "Ann", "lastName": "Lee",
              "phone": "+15551234567",
            }
            """);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task UnquotedKeysAreA400PointingAtThePosition()
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts", """{ externalId: "1", "firstName": "A" }""");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("line 1, position 3", (string?)problem["detail"]);
    }

    [Fact]
    public async Task ANationalNumberIsNormalisedWithTheCompanysRegion()
    {
        var us = await app.NewTenantAsync();
        var gb = await app.NewTenantAsync(region: "GB");

        var usContact = await (await us.Http.PutJsonAsync("/partner/v2/contacts",
            new { externalId = "n1", firstName = "A", lastName = "B", phone = "(555) 123-4567" })).ExpectAsync(HttpStatusCode.Created);
        var gbContact = await (await gb.Http.PutJsonAsync("/partner/v2/contacts",
            new { externalId = "n1", firstName = "A", lastName = "B", phone = "07700 900123" })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("+15551234567", (string?)usContact["phone"]);
        Assert.Equal("+447700900123", (string?)gbContact["phone"]);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("call me")]
    [InlineData("1-800-FLOWERS")]
    [InlineData("+1555")]
    [InlineData("+1 555 123 4567 8901 234")]
    public async Task AMalformedPhoneIsA400NamingThePhoneField(string phone)
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts", new { externalId = "p1", firstName = "A", lastName = "B", phone });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("E.164", Assert.Single(problem.ErrorsFor("phone")));
        Assert.Equal(0, await app.WithDbAsync(db => db.Contacts.CountAsync(c => c.CompanyId == tenant.CompanyId)));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("john@")]
    [InlineData("John Doe <john@example.com>")]
    [InlineData("john@localhost")]
    public async Task AnInvalidEmailIsA400NamingTheEmailField(string email)
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts", new { externalId = "e1", firstName = "A", lastName = "B", email });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Single(problem.ErrorsFor("email"));
    }

    [Fact]
    public async Task EmailIsStoredTrimmed()
    {
        var tenant = await app.NewTenantAsync();

        var body = await (await tenant.Http.PutJsonAsync("/partner/v2/contacts",
            new { externalId = "t1", firstName = " Ann ", lastName = "Lee", email = "  ann@example.com " })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("ann@example.com", (string?)body["email"]);
        Assert.Equal("Ann", (string?)body["firstName"]);
    }

    [Fact]
    public async Task MissingRequiredFieldsAreAllNamedInOne400()
    {
        var tenant = await app.NewTenantAsync();

        var problem = await (await tenant.Http.PutJsonAsync("/partner/v2/contacts", "{}")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.ErrorsFor("externalId"));
        Assert.NotEmpty(problem.ErrorsFor("firstName"));
        Assert.NotEmpty(problem.ErrorsFor("lastName"));
    }

    [Fact]
    public async Task AContactWithNeitherPhoneNorEmailIsA400()
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts", new { externalId = "x", firstName = "A", lastName = "B" });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("phone or an email", Assert.Single(problem.ErrorsFor("email")));
    }

    [Fact]
    public async Task AnAbsentFieldKeepsItsValueAndNullClearsIt()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.Http.PutJsonAsync("/partner/v2/contacts", PublishedExample);

        var kept = await (await tenant.Http.PutJsonAsync("/partner/v2/contacts",
            """{ "externalId": "123-3123-123", "firstName": "John", "lastName": "Doe" }""")).ExpectAsync(HttpStatusCode.OK);
        var cleared = await (await tenant.Http.PutJsonAsync("/partner/v2/contacts",
            """{ "externalId": "123-3123-123", "firstName": "John", "lastName": "Doe", "email": null }""")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("john.doe@example.com", (string?)kept["email"]);
        Assert.Equal("+15551234567", (string?)kept["phone"]);
        Assert.Null(cleared["email"]);
        Assert.Equal("+15551234567", (string?)cleared["phone"]);
    }

    [Fact]
    public async Task ClearingTheLastWayToReachAContactIsA400AndChangesNothing()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.Http.PutJsonAsync("/partner/v2/contacts", """{ "externalId": "only-phone", "firstName": "A", "lastName": "B", "phone": "+15551234567" }""");

        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts",
            """{ "externalId": "only-phone", "firstName": "Changed", "lastName": "B", "phone": null }""");

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        var stored = await (await tenant.Http.GetAsync("/partner/v2/contacts/only-phone")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("A", (string?)stored["firstName"]);
        Assert.Equal("+15551234567", (string?)stored["phone"]);
    }

    [Fact]
    public async Task NotificationPreferenceDefaultsBySmsThenEmailAndCanBeSet()
    {
        var tenant = await app.NewTenantAsync();

        var withPhone = await (await tenant.Http.PutJsonAsync("/partner/v2/contacts", PublishedExample)).ExpectAsync(HttpStatusCode.Created);
        var emailOnly = await (await tenant.Http.PutJsonAsync("/partner/v2/contacts",
            new { externalId = "mail", firstName = "A", lastName = "B", email = "a@example.com" })).ExpectAsync(HttpStatusCode.Created);
        var both = await (await tenant.Http.PutJsonAsync("/partner/v2/contacts",
            """{ "externalId": "123-3123-123", "firstName": "John", "lastName": "Doe", "notificationPreference": "BOTH" }""")).ExpectAsync(HttpStatusCode.OK);
        var invalid = await tenant.Http.PutJsonAsync("/partner/v2/contacts",
            """{ "externalId": "mail", "firstName": "A", "lastName": "B", "notificationPreference": "sms" }""");

        Assert.Equal("sms", (string?)withPhone["notificationPreference"]);
        Assert.Equal("email", (string?)emailOnly["notificationPreference"]);
        Assert.Equal("both", (string?)both["notificationPreference"]);
        Assert.Single((await invalid.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("notificationPreference"));
    }

    [Fact]
    public async Task GetByExternalIdReturnsTheContactAndUnknownIsA404Problem()
    {
        var tenant = await app.NewTenantAsync();
        var created = await (await tenant.Http.PutJsonAsync("/partner/v2/contacts", PublishedExample)).ExpectAsync(HttpStatusCode.Created);

        var found = await (await tenant.Http.GetAsync("/partner/v2/contacts/123-3123-123")).ExpectAsync(HttpStatusCode.OK);
        var missing = await tenant.Http.GetAsync("/partner/v2/contacts/nope");

        Assert.Equal(created.Compact(), found.Compact());
        Assert.Contains("nope", (string?)(await missing.ProblemAsync(HttpStatusCode.NotFound))["detail"]);
    }

    [Fact]
    public async Task ListPagesThroughEveryContactWithAnOpaqueCursor()
    {
        var tenant = await app.NewTenantAsync();
        for (var i = 0; i < 5; i++)
            await tenant.Http.PutJsonAsync("/partner/v2/contacts", new { externalId = $"L{i}", firstName = "A", lastName = "B", phone = "+15551234567" });

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await tenant.Http.GetAsync($"/partner/v2/contacts?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}"))
                .ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page["items"]!.AsArray().Select(c => (string)c!["externalId"]!));
            cursor = (string?)page["nextCursor"];
            Assert.True(cursor is null || Uri.EscapeDataString(cursor) == cursor, "cursor must be URL-safe");
            pages++;
        } while (cursor is not null);

        Assert.Equal(["L0", "L1", "L2", "L3", "L4"], seen);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=201")]
    [InlineData("?cursor=garbage")]
    [InlineData("?limit=abc")]
    public async Task ABadLimitOrCursorIsA400(string query)
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.GetAsync("/partner/v2/contacts" + query);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TwentyConcurrentFirstPutsCreateOneContact()
    {
        var tenant = await app.NewTenantAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            tenant.Http.PutJsonAsync("/partner/v2/contacts", new { externalId = "race", firstName = "A", lastName = "B", phone = "+15551234567" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(1, await app.WithDbAsync(db => db.Contacts.CountAsync(c => c.CompanyId == tenant.CompanyId && c.ExternalId == "race")));
        var ids = await Task.WhenAll(responses.Select(async r => (int)(await r.JsonAsync())["id"]!));
        Assert.Single(ids.Distinct());
    }
}
