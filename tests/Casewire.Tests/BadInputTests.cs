using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>
/// SPEC §1: malformed JSON, a wrong JSON type, an over-long string or an over-large body (1 MiB) is a
/// 400 problem, never a 500; unknown properties are ignored; bodies are read as JSON whatever the
/// Content-Type a CMS sends.
/// </summary>
public sealed class BadInputTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    const string ValidContact = """{ "externalId": "c1", "firstName": "Ann", "lastName": "Lee", "phone": "+15551234567" }""";

    static string ValidProject(string clients = "[\"c1\"]") =>
        $$"""{ "externalId": "p1", "name": "Lee v. Acme", "partnerPhaseName": "Intake", "clients": {{clients}}, "partnerProjectTypeName": "PI", "milestonesEnabled": true, "status": "In Progress" }""";

    async Task<CasewireApp.Tenant> TenantWithContactAsync()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.PutContactAsync(ValidContact);
        return tenant;
    }

    Task<int> ContactCountAsync(CasewireApp.Tenant tenant) =>
        app.WithDbAsync(db => db.Contacts.CountAsync(c => c.CompanyId == tenant.CompanyId));

    Task<int> ProjectCountAsync(CasewireApp.Tenant tenant) =>
        app.WithDbAsync(db => db.Projects.CountAsync(p => p.CompanyId == tenant.CompanyId));

    static Task<HttpResponseMessage> PutBytesAsync(HttpClient client, string path, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.PutAsync(path, content);
    }

    // ---- malformed JSON ----

    [Theory]
    [InlineData("/partner/v2/contacts", """{"externalId": """, "line 1, position")]
    [InlineData("/partner/v2/contacts", "not json", "line 1, position 2")]
    [InlineData("/partner/v2/contacts", """{ externalId: "1", "firstName": "A" }""", "line 1, position 3")]
    [InlineData("/partner/v2/contacts", "{\n  \"externalId\": \"c1\",\n  \"firstName\": \"Ann\"\n  \"lastName\": \"Lee\"\n}", "line 4, position 3")]
    [InlineData("/partner/v2/projects", """{"externalId": """, "line 1, position")]
    [InlineData("/partner/v2/projects", "not json", "line 1, position 2")]
    [InlineData("/partner/v2/projects", """{ externalId: "p1", name: "x" }""", "line 1, position 3")]
    public async Task MalformedJsonIsA400WhoseDetailGivesTheLineAndPosition(string path, string body, string where)
    {
        var tenant = await TenantWithContactAsync();

        var response = await tenant.Http.PutJsonAsync(path, body);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(where, (string?)problem["detail"]);
        Assert.Equal(1, await ContactCountAsync(tenant));
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    [Theory]
    [InlineData("/partner/v2/contacts", """{"externalId": """)]
    [InlineData("/partner/v2/contacts", """{"externalId": "c1", "firstName": "A""")]
    [InlineData("/partner/v2/projects", """{"externalId": "p1", "clients": [""")]
    public async Task ATruncatedBodyIsReportedAsInvalidJsonNotAsAWrongTypeOfAField(string path, string body)
    {
        var tenant = await TenantWithContactAsync();

        var response = await tenant.Http.PutJsonAsync(path, body);

        // The body ends mid-document: a syntax error, not "externalId has the wrong JSON type".
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", (string?)problem["detail"]);
        Assert.DoesNotContain("wrong", problem.Compact(), StringComparison.OrdinalIgnoreCase);
    }

    // ---- wrong JSON types ----

    [Theory]
    [InlineData("/partner/v2/contacts", """{ "externalId": "c2", "firstName": 123, "lastName": "Lee", "phone": "+15551234567" }""", "firstName")]
    [InlineData("/partner/v2/contacts", """{ "externalId": "c2", "firstName": "Ann", "lastName": "Lee", "phone": true }""", "phone")]
    [InlineData("/partner/v2/contacts", """{ "externalId": "c2", "firstName": "Ann", "lastName": "Lee", "phone": 15551234567 }""", "phone")]
    [InlineData("/partner/v2/contacts", """{ "externalId": "c2", "firstName": "Ann", "lastName": "Lee", "email": 5 }""", "email")]
    [InlineData("/partner/v2/contacts", """{ "externalId": "c2", "firstName": "Ann", "lastName": "Lee", "phone": "+15551234567", "notificationPreference": 1 }""", "notificationPreference")]
    [InlineData("/partner/v2/contacts", """{ "externalId": 42, "firstName": "Ann", "lastName": "Lee", "phone": "+15551234567" }""", "externalId")]
    [InlineData("/partner/v2/contacts", """{ "externalId": "c2", "firstName": ["Ann"], "lastName": "Lee", "phone": "+15551234567" }""", "firstName")]
    [InlineData("/partner/v2/contacts", """{ "externalId": "c2", "firstName": "Ann", "lastName": {"x": 1}, "phone": "+15551234567" }""", "lastName")]
    [InlineData("/partner/v2/projects", """{ "externalId": "p1", "name": "N", "partnerPhaseName": "Intake", "clients": "x", "partnerProjectTypeName": "PI", "milestonesEnabled": true, "status": "In Progress" }""", "clients")]
    [InlineData("/partner/v2/projects", """{ "externalId": "p1", "name": "N", "partnerPhaseName": "Intake", "clients": ["c1"], "partnerProjectTypeName": "PI", "milestonesEnabled": "yes", "status": "In Progress" }""", "milestonesEnabled")]
    [InlineData("/partner/v2/projects", """{ "externalId": "p1", "name": "N", "partnerPhaseName": "Intake", "clients": ["c1"], "partnerProjectTypeName": "PI", "milestonesEnabled": 1, "status": "In Progress" }""", "milestonesEnabled")]
    [InlineData("/partner/v2/projects", """{ "externalId": "p1", "name": 7, "partnerPhaseName": "Intake", "clients": ["c1"], "partnerProjectTypeName": "PI", "milestonesEnabled": true, "status": "In Progress" }""", "name")]
    [InlineData("/partner/v2/projects", """{ "externalId": "p1", "name": "N", "partnerPhaseName": "Intake", "clients": ["c1"], "partnerProjectTypeName": "PI", "milestonesEnabled": true, "status": 2 }""", "status")]
    public async Task AWrongJsonTypeIsA400WithErrorsKeyedByTheFieldName(string path, string body, string field)
    {
        var tenant = await TenantWithContactAsync();

        var response = await tenant.Http.PutJsonAsync(path, body);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null, $"the problem should have errors keyed by field; got {problem.Compact()}");
        Assert.Equal([field], errors.Select(e => e.Key));
        Assert.Contains(field, Assert.Single(problem.ErrorsFor(field)));
        Assert.Equal(1, await ContactCountAsync(tenant));
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    [Theory]
    [InlineData("/partner/v2/contacts", """{ "externalId": "c2", "firstName": 123, "lastName": "Lee", "phone": "+15551234567" }""", "firstName", "string")]
    [InlineData("/partner/v2/contacts", """{ "externalId": "c2", "firstName": "Ann", "lastName": "Lee", "phone": true }""", "phone", "string")]
    [InlineData("/partner/v2/projects", """{ "externalId": "p1", "name": "N", "partnerPhaseName": "Intake", "clients": "x", "partnerProjectTypeName": "PI", "milestonesEnabled": true, "status": "In Progress" }""", "clients", "array")]
    [InlineData("/partner/v2/projects", """{ "externalId": "p1", "name": "N", "partnerPhaseName": "Intake", "clients": ["c1"], "partnerProjectTypeName": "PI", "milestonesEnabled": "yes", "status": "In Progress" }""", "milestonesEnabled", "true or false")]
    public async Task AWrongJsonTypeMessageSaysWhatTheFieldAccepts(string path, string body, string field, string accepted)
    {
        var tenant = await TenantWithContactAsync();

        var response = await tenant.Http.PutJsonAsync(path, body);

        // SPEC §1: the messages say what is wrong and what is accepted.
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(accepted, string.Join(" ", problem.ErrorsFor(field)));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("email,sms")]
    [InlineData("sms, both")]
    public async Task ANotificationPreferenceThatIsNotOneOfTheThreeNamesIsA400(string preference)
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts",
            new { externalId = "np", firstName = "Ann", lastName = "Lee", phone = "+15551234567", email = "ann@example.com", notificationPreference = preference });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("sms, email, both", Assert.Single(problem.ErrorsFor("notificationPreference")));
        Assert.Equal(0, await ContactCountAsync(tenant));
    }

    // ---- missing required fields ----

    [Fact]
    public async Task AContactMissingRequiredFieldsIsA400NamingEachOfThem()
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts", """{ "phone": "+15551234567" }""");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["externalId", "firstName", "lastName"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Equal(0, await ContactCountAsync(tenant));
    }

    [Fact]
    public async Task AProjectMissingEveryRequiredFieldIsA400NamingEachOfThem()
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/projects", "{}");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(
            ["clients", "externalId", "milestonesEnabled", "name", "partnerPhaseName", "partnerProjectTypeName", "status"],
            problem["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    [Theory]
    [InlineData("milestonesEnabled")]
    [InlineData("clients")]
    [InlineData("status")]
    [InlineData("partnerPhaseName")]
    public async Task AProjectMissingOneRequiredFieldIsA400NamingIt(string field)
    {
        var tenant = await TenantWithContactAsync();
        var body = System.Text.Json.Nodes.JsonNode.Parse(ValidProject())!.AsObject();
        body.Remove(field);

        var response = await tenant.Http.PutJsonAsync("/partner/v2/projects", body.Compact());

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[\"c1\", null]")]
    [InlineData("[true]")]
    [InlineData("[0]")]
    [InlineData("[{}]")]
    [InlineData("[\"  \"]")]
    public async Task AnEmptyClientsArrayOrAnElementThatIsNoContactReferenceIsA400NamingClients(string clients)
    {
        var tenant = await TenantWithContactAsync();

        var response = await tenant.Http.PutJsonAsync("/partner/v2/projects", ValidProject(clients));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("clients"));
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    // ---- body size ----

    static string HugeContact(int bytes) =>
        $$"""{ "externalId": "big", "firstName": "Ann", "lastName": "Lee", "phone": "+15551234567", "padding": "{{new string('x', bytes)}}" }""";

    static string HugeProject(int bytes) =>
        $$"""{ "externalId": "big", "name": "N", "partnerPhaseName": "Intake", "clients": ["c1"], "partnerProjectTypeName": "PI", "milestonesEnabled": true, "status": "In Progress", "padding": "{{new string('x', bytes)}}" }""";

    [Theory]
    [InlineData("/partner/v2/contacts")]
    [InlineData("/partner/v2/projects")]
    public async Task ATwoMebibyteBodyIsA400ProblemAndNothingIsStored(string path)
    {
        var tenant = await TenantWithContactAsync();
        // Valid JSON whose known fields are all valid: only the size is wrong.
        var body = path.EndsWith("contacts") ? HugeContact(2 * 1024 * 1024) : HugeProject(2 * 1024 * 1024);

        var response = await tenant.Http.PutJsonAsync(path, body);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("1 MiB", (string?)problem["detail"]);
        Assert.Equal(1, await ContactCountAsync(tenant));
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    /// <summary>A body sent chunked (no Content-Length) that only turns out too large while it is read.</summary>
    sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    [Theory]
    [InlineData("/partner/v2/contacts")]
    [InlineData("/partner/v2/projects")]
    public async Task ATwoMebibyteBodyWithoutContentLengthIsA400ProblemAndNothingIsStored(string path)
    {
        var tenant = await TenantWithContactAsync();
        var body = path.EndsWith("contacts") ? HugeContact(2 * 1024 * 1024) : HugeProject(2 * 1024 * 1024);
        var content = new UnknownLengthContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await tenant.Http.PutAsync(path, content);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1, await ContactCountAsync(tenant));
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    [Fact]
    public async Task ABodyOfExactlyOneMebibyteIsAccepted()
    {
        var tenant = await app.NewTenantAsync();
        var body = HugeContact(0);
        body = HugeContact(1024 * 1024 - Encoding.UTF8.GetByteCount(body));
        Assert.Equal(1024 * 1024, Encoding.UTF8.GetByteCount(body));

        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts", body);

        await response.ExpectAsync(HttpStatusCode.Created);
    }

    // ---- over-long strings ----

    [Theory]
    [InlineData("/partner/v2/contacts", "externalId", 256)]
    [InlineData("/partner/v2/contacts", "firstName", 101)]
    [InlineData("/partner/v2/contacts", "lastName", 101)]
    [InlineData("/partner/v2/projects", "externalId", 256)]
    public async Task AnOverLongStringIsA400NamingTheField(string path, string field, int length)
    {
        var tenant = await TenantWithContactAsync();
        var body = System.Text.Json.Nodes.JsonNode.Parse(path.EndsWith("contacts") ? ValidContact : ValidProject())!.AsObject();
        body[field] = new string('a', length);

        var response = await tenant.Http.PutJsonAsync(path, body.Compact());

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains(length.ToString(), Assert.Single(problem.ErrorsFor(field)));
        Assert.Equal(1, await ContactCountAsync(tenant));
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    [Theory]
    [InlineData("/partner/v2/contacts")]
    [InlineData("/partner/v2/projects")]
    public async Task AnExternalIdOfExactly255CharactersIsAccepted(string path)
    {
        var tenant = await TenantWithContactAsync();
        var externalId = new string('e', 255);
        var body = System.Text.Json.Nodes.JsonNode.Parse(path.EndsWith("contacts") ? ValidContact : ValidProject())!.AsObject();
        body["externalId"] = externalId;

        var created = await (await tenant.Http.PutJsonAsync(path, body.Compact())).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(externalId, (string?)created["externalId"]);
    }

    [Fact]
    public async Task AFirstNameOfExactly100CharactersIsAccepted()
    {
        var tenant = await app.NewTenantAsync();
        var firstName = new string('f', 100);

        var created = await (await tenant.Http.PutJsonAsync("/partner/v2/contacts",
            new { externalId = "c100", firstName, lastName = "Lee", phone = "+15551234567" })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(firstName, (string?)created["firstName"]);
    }

    // ---- unknown properties ----

    [Theory]
    [InlineData("/partner/v2/contacts")]
    [InlineData("/partner/v2/projects")]
    public async Task UnknownPropertiesAreIgnored(string path)
    {
        var tenant = await TenantWithContactAsync();
        var body = System.Text.Json.Nodes.JsonNode.Parse(path.EndsWith("contacts") ? ValidContact : ValidProject())!.AsObject();
        body["externalId"] = "fresh";
        body["favouriteColour"] = "teal";
        body["nested"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "a": [1, 2, { "b": null }] }""");

        var created = await (await tenant.Http.PutJsonAsync(path, body.Compact())).ExpectAsync(HttpStatusCode.Created);

        Assert.Null(created["favouriteColour"]);
    }

    // ---- bodies that are not one JSON object ----

    [Theory]
    [InlineData("/partner/v2/contacts", "")]
    [InlineData("/partner/v2/contacts", "   ")]
    [InlineData("/partner/v2/contacts", "[]")]
    [InlineData("/partner/v2/contacts", """[{ "externalId": "c9", "firstName": "A", "lastName": "B", "phone": "+15551234567" }]""")]
    [InlineData("/partner/v2/contacts", "\"a string\"")]
    [InlineData("/partner/v2/contacts", "42")]
    [InlineData("/partner/v2/contacts", "null")]
    [InlineData("/partner/v2/projects", "")]
    [InlineData("/partner/v2/projects", "[]")]
    [InlineData("/partner/v2/projects", "\"a string\"")]
    [InlineData("/partner/v2/projects", "null")]
    public async Task ABodyThatIsNotAJsonObjectIsA400(string path, string body)
    {
        var tenant = await TenantWithContactAsync();

        var response = await tenant.Http.PutJsonAsync(path, body);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]));
        Assert.Equal(1, await ContactCountAsync(tenant));
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    [Theory]
    [InlineData("/partner/v2/contacts", """{ "externalId": "c1", "firstName": "Ann", "firstName": "Bob", "lastName": "Lee", "phone": "+15551234567" }""", "firstName")]
    [InlineData("/partner/v2/contacts", """{ "externalId": "dup", "externalId": "c1", "firstName": "Ann", "lastName": "Lee", "phone": "+15551234567" }""", "externalId")]
    [InlineData("/partner/v2/projects", """{ "externalId": "p1", "name": "N", "partnerPhaseName": "Intake", "clients": ["c1"], "partnerProjectTypeName": "PI", "milestonesEnabled": true, "milestonesEnabled": false, "status": "In Progress" }""", "milestonesEnabled")]
    public async Task DuplicatePropertyNamesAreA400NamingTheProperty(string path, string body, string property)
    {
        var tenant = await TenantWithContactAsync();

        var response = await tenant.Http.PutJsonAsync(path, body);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(property, problem.Compact());
        // The problem says what is wrong: the property is repeated (not that its type is wrong).
        Assert.Matches("(?i)duplicate|more than once|twice|repeated", problem.Compact());
        Assert.DoesNotContain("wrong", problem.Compact(), StringComparison.OrdinalIgnoreCase);
        var stored = await app.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.CompanyId == tenant.CompanyId));
        Assert.Equal("Ann", stored.FirstName);
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    [Theory]
    [InlineData("/partner/v2/contacts")]
    [InlineData("/partner/v2/projects")]
    public async Task InvalidUtf8InTheBodyIsA400(string path)
    {
        var tenant = await TenantWithContactAsync();
        var json = Encoding.UTF8.GetBytes(path.EndsWith("contacts")
            ? """{ "externalId": "c-utf", "firstName": "An#", "lastName": "Lee", "phone": "+15551234567" }"""
            : ValidProject().Replace("Lee v. Acme", "Lee v. Ac#e"));
        var at = Array.IndexOf(json, (byte)'#');
        json[at] = 0xC3; // a lead byte followed by ASCII: never valid UTF-8
        var bytes = json.Take(at + 1).Concat(new byte[] { 0xFF, 0xFE }).Concat(json.Skip(at + 1)).ToArray();

        var response = await PutBytesAsync(tenant.Http, path, bytes, "application/json");

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1, await ContactCountAsync(tenant));
        Assert.Equal(0, await ProjectCountAsync(tenant));
    }

    // ---- Content-Type ----

    [Theory]
    [InlineData("/partner/v2/contacts", null)]
    [InlineData("/partner/v2/contacts", "text/plain")]
    [InlineData("/partner/v2/contacts", "text/plain; charset=utf-8")]
    [InlineData("/partner/v2/contacts", "application/x-www-form-urlencoded")]
    [InlineData("/partner/v2/projects", null)]
    [InlineData("/partner/v2/projects", "text/plain")]
    public async Task AJsonBodyIsAcceptedWithoutContentTypeOrWithAnotherOne(string path, string? contentType)
    {
        var tenant = await TenantWithContactAsync();
        var body = path.EndsWith("contacts")
            ? ValidContact.Replace("\"c1\"", "\"c-ct\"")
            : ValidProject();

        var response = await PutBytesAsync(tenant.Http, path, Encoding.UTF8.GetBytes(body), contentType);

        await response.ExpectAsync(HttpStatusCode.Created);
    }

    // ---- routes ----

    [Theory]
    [InlineData("GET", "/partner/v2/nope")]
    [InlineData("PUT", "/partner/v2/contact")]
    [InlineData("POST", "/partner/v2/contacts/x/y")]
    public async Task AnUnknownRouteUnderThePartnerApiIsA404Problem(string method, string path)
    {
        var tenant = await app.NewTenantAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");

        var response = await tenant.Http.SendAsync(request);

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AWrongMethodOnAKnownPathIsA405ProblemNotA500()
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.DeleteAsync("/partner/v2/contacts");

        await response.ProblemAsync(HttpStatusCode.MethodNotAllowed);
    }
}
