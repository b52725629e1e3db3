using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Casewire.Tests.Infrastructure;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// What the fuzz suite found, one test per finding, each with the request that showed it. They run
/// on Kestrel (<see cref="FuzzApp"/>), like the suite: paths and headers as a real server reads them.
/// </summary>
public sealed class FuzzFindingsTests(FuzzApp app) : IClassFixture<FuzzApp>
{
    const string Contact = """{ "externalId": "c1", "firstName": "Ann", "lastName": "Lee", "phone": "+15551234567" }""";

    async Task<HttpResponseMessage> SendAsync(CasewireApp.Tenant tenant, HttpMethod method, string target, byte[]? body = null,
        string? contentType = "application/json", string? accept = null, bool authenticated = true)
    {
        using var request = new HttpRequestMessage(method, target);
        if (authenticated) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Token);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        return await app.Http.SendAsync(request);
    }

    Task<HttpResponseMessage> PutAsync(CasewireApp.Tenant tenant, string path, string json) =>
        SendAsync(tenant, HttpMethod.Put, path, Encoding.UTF8.GetBytes(json));

    // ---- ids with an escaped slash in them ----

    [Fact]
    public async Task AnIdHoldingAnEscapedSlashIsReadExactlyNotAsTheIdWithASlash()
    {
        // Found: GET contacts/a%252Fb answered with the contact 'a/b', and the contact 'a%2Fb' could not be read at all.
        var tenant = await app.NewTenantAsync();
        var slash = await (await PutAsync(tenant, "/partner/v2/contacts", Contact.Replace("\"c1\"", "\"a/b\""))).ExpectAsync(HttpStatusCode.Created);
        var escaped = await (await PutAsync(tenant, "/partner/v2/contacts", Contact.Replace("\"c1\"", "\"a%2Fb\""))).ExpectAsync(HttpStatusCode.Created);

        var readSlash = await (await SendAsync(tenant, HttpMethod.Get, "/partner/v2/contacts/a%2Fb")).ExpectAsync(HttpStatusCode.OK);
        var readEscaped = await (await SendAsync(tenant, HttpMethod.Get, "/partner/v2/contacts/a%252Fb")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(((int)slash["id"]!, "a/b"), ((int)readSlash["id"]!, (string?)readSlash["externalId"]));
        Assert.Equal(((int)escaped["id"]!, "a%2Fb"), ((int)readEscaped["id"]!, (string?)readEscaped["externalId"]));
    }

    [Fact]
    public async Task ACalendarEventIsFoundByPathWhenBothItsIdAndItsProjectsHoldEscapes()
    {
        // Found: GET and DELETE project/a%25b/calendar-event/a%252Fb looked for the event 'a/b' and answered 404.
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: "+15551234567");
        await tenant.ProjectAsync("a%b", ["c1"]);
        await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event",
            new { id = "a%2Fb", projectId = "a%b", title = "Hearing", startTime = "2026-03-10 09:00:00", timezone = "EST" })).ExpectAsync(HttpStatusCode.Created);

        var read = await (await SendAsync(tenant, HttpMethod.Get, "/partner/v2/project/a%25b/calendar-event/a%252Fb")).ExpectAsync(HttpStatusCode.OK);
        var deleted = await SendAsync(tenant, HttpMethod.Delete, "/partner/v2/project/a%25b/calendar-event/a%252Fb");

        Assert.Equal(("a%2Fb", "a%b"), ((string?)read["id"], (string?)read["projectId"]));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Theory]
    [InlineData("2024/0012", "2024%2F0012")]
    [InlineData("עברית/1", "%D7%A2%D7%91%D7%A8%D7%99%D7%AA%2F1")]
    [InlineData("a%2Fb", "a%252Fb")]
    public async Task AProjectsConversationAndUpcomingEventsAreFoundWhateverItsIdHolds(string externalId, string segment)
    {
        // Found: GET projects/2024%2F0012/messages was a 404 (the conversation never decoded %2F), and
        // GET projects/a%252Fb/calendar-events was a 404 (it looked for the project 'a/b').
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: "+15551234567");
        await tenant.ProjectAsync(externalId, ["c1"]);
        await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", new { projectId = externalId, text = "Hello" })).ExpectAsync(HttpStatusCode.Accepted);

        var conversation = await (await SendAsync(tenant, HttpMethod.Get, $"/partner/v2/projects/{segment}/messages")).ExpectAsync(HttpStatusCode.OK);
        var upcoming = await SendAsync(tenant, HttpMethod.Get, $"/partner/v2/projects/{segment}/calendar-events");

        Assert.Equal(externalId, (string?)Assert.Single(conversation["items"]!.AsArray())!["projectId"]);
        Assert.Equal(HttpStatusCode.OK, upcoming.StatusCode);
    }

    // ---- Content-Type and Accept ----

    [Theory]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=")]
    public async Task ABodyIsReadAsUtf8JsonWhateverCharsetTheContentTypeNames(string contentType)
    {
        // Found: Content-Type: application/json; charset="utf-8" (a legal quoted charset) was a 500.
        var tenant = await app.NewTenantAsync();

        var response = await SendAsync(tenant, HttpMethod.Put, "/partner/v2/contacts", Encoding.UTF8.GetBytes(Contact), contentType);

        await response.ExpectAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("image/png")]
    [InlineData("text/plain")]
    public async Task AnAcceptWithoutJsonStillGetsEveryErrorAsAProblem(string accept)
    {
        // Found: GET me with Accept: text/plain and no valid token was a 500 (the 401 challenge could not write its
        // problem), and a malformed body with Accept: text/html a 400 without any body.
        var tenant = await app.NewTenantAsync();

        var unauthorized = await SendAsync(tenant, HttpMethod.Get, "/partner/v2/me", accept: accept, authenticated: false);
        var malformed = await SendAsync(tenant, HttpMethod.Put, "/partner/v2/contacts", "{ not json"u8.ToArray(), accept: accept);
        var tooLarge = await SendAsync(tenant, HttpMethod.Put, "/partner/v2/contacts", new byte[2 * 1024 * 1024], accept: accept);
        var unknown = await SendAsync(tenant, HttpMethod.Get, "/partner/v2/contacts/nobody", accept: accept);

        await unauthorized.ProblemAsync(HttpStatusCode.Unauthorized);
        await malformed.ProblemAsync(HttpStatusCode.BadRequest);
        await tooLarge.ProblemAsync(HttpStatusCode.BadRequest);
        await unknown.ProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- bytes that are not UTF-8 inside free-form values ----

    [Theory]
    [InlineData("/partner/v2/projects", """{ "externalId": "p1", "name": "N", "partnerPhaseName": "Intake", "clients": ["c#1"], "partnerProjectTypeName": "PI", "milestonesEnabled": true, "status": "In Progress" }""", "clients")]
    [InlineData("/partner/v2/projects", """{ "externalId": "p1", "name": "N", "partnerPhaseName": "Intake", "clients": [{"#": "c1"}], "partnerProjectTypeName": "PI", "milestonesEnabled": true, "status": "In Progress" }""", "clients")]
    [InlineData("/partner/v2/calendar-event", """{ "id": "e1", "projectId": "p0", "title": "T", "startTime": "2026-03-10 09:00", "timezone": "EST", "reminder": [{"unit": "da#y", "amount": 30}] }""", "reminder")]
    [InlineData("/partner/v2/calendar-event", """{ "id": "e1", "projectId": "p0", "title": "T", "startTime": "2026-03-10 09:00", "timezone": "EST", "attendees": ["#"] }""", "attendees")]
    public async Task BytesThatAreNotUtf8InAReferenceOrReminderAreA400NamingTheField(string path, string json, string field)
    {
        // Found: "reminder": [{"unit": "ab\xC0\xAFcd", …}] was a 500 (Cannot transcode invalid UTF-8 JSON text).
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: "+15551234567");
        await tenant.ProjectAsync("p0", ["c1"]);
        var bytes = Encoding.UTF8.GetBytes(json);
        bytes = [.. bytes.AsSpan(0, Array.IndexOf(bytes, (byte)'#')), 0xC0, 0xAF, .. bytes.AsSpan(Array.IndexOf(bytes, (byte)'#') + 1)];

        var response = await SendAsync(tenant, path.EndsWith("projects") ? HttpMethod.Put : HttpMethod.Post, path, bytes);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor(field));
    }

    [Fact]
    public async Task APropertyTwiceInsideAClientReferenceIsStillA400()
    {
        // The check of free-form values must keep what System.Text.Json checks while reading them.
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: "+15551234567");

        var response = await PutAsync(tenant, "/partner/v2/projects",
            """{ "externalId": "p1", "name": "N", "partnerPhaseName": "Intake", "clients": [{"externalId": "c1", "externalId": "c2"}], "partnerProjectTypeName": "PI", "milestonesEnabled": true, "status": "In Progress" }""");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("clients"));
    }

    // ---- reminders far ahead ----

    [Theory]
    [InlineData("day", 2147483647)]
    [InlineData("hour", 2147483647)]
    [InlineData("day", 10675200)]
    [InlineData("minute", 2147483647)]
    public async Task AReminderMoreThanAYearAheadIsA400HoweverLargeItsAmount(string unit, int amount)
    {
        // Found: "reminders": [{"unit": "day", "amount": 2147483647}] was a 500 (TimeSpan overflowed).
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: "+15551234567");
        await tenant.ProjectAsync("p1", ["c1"]);

        var response = await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", new
        {
            id = "e1", projectId = "p1", title = "Hearing", startTime = "2026-03-10 09:00:00", timezone = "EST",
            reminders = new[] { new { unit, amount } },
        });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 365 days", Assert.Single(problem.ErrorsFor("reminders")));
    }

    // ---- event times at the ends of time ----

    [Theory]
    [InlineData("0001-01-01T00:00:00+14:00", null)]
    [InlineData("0001-01-01 00:00:00", "EST")]
    [InlineData("9999-12-31 23:45", "EST")]
    [InlineData("9999-12-31T23:59:59-14:00", null)]
    [InlineData("-0001-01-01T00:00", "UTC")]
    [InlineData("1899-12-31 23:59", "UTC")]
    [InlineData("3000-01-01 00:00", "UTC")]
    public async Task AnEventTimeOutsideTheYears1900To2999IsA400(string startTime, string? timezone)
    {
        // Found: "startTime": "0001-01-01T00:00:00+14:00" was a 500 (Instant out of range for DateTimeOffset), as were
        // year-9999 times (the default end overflowed) and year-1 times with a reminder before them.
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: "+15551234567");
        await tenant.ProjectAsync("p1", ["c1"]);

        var response = await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", new
        {
            id = "e1", projectId = "p1", title = "Hearing", startTime, timezone, reminders = new[] { new { unit = "day", amount = 1 } },
        });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("1900", Assert.Single(problem.ErrorsFor("startTime")));
    }

    [Theory]
    [InlineData("1900-01-01 00:00")]
    [InlineData("2999-12-31 23:59")]
    public async Task AnEventAtEitherEndOfTheSupportedYearsIsSaved(string startTime)
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: "+15551234567");
        await tenant.ProjectAsync("p1", ["c1"]);

        var response = await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", new
        {
            id = "e1", projectId = "p1", title = "Hearing", startTime, timezone = "Pacific/Kiritimati", reminders = new[] { new { unit = "day", amount = 365 } },
        });

        await response.ExpectAsync(HttpStatusCode.Created);
    }

    // ---- the character NUL ----

    [Theory]
    [InlineData("PUT", "/partner/v2/team-members", """{ "externalId": "a\u0000b", "firstName": "Sam", "lastName": "Park", "email": "sam@example.com" }""", "externalId")]
    [InlineData("PUT", "/partner/v2/contacts", """{ "externalId": "c2", "firstName": "Ann", "lastName": "Lee", "email": "ann\u0000@example.com" }""", "email")]
    [InlineData("PUT", "/partner/v2/projects", """{ "externalId": "p1", "name": "\u0000", "partnerPhaseName": "Intake", "clients": ["c1"], "partnerProjectTypeName": "PI", "milestonesEnabled": true, "status": "In Progress" }""", "name")]
    [InlineData("PUT", "/partner/v2/projects", """{ "externalId": "p1", "name": "N", "partnerPhaseName": "Intake", "clients": ["c\u00001"], "partnerProjectTypeName": "PI", "milestonesEnabled": true, "status": "In Progress" }""", "clients")]
    [InlineData("POST", "/partner/v2/send-message", """{ "projectId": "a\u0000b", "text": "Hello" }""", "projectId")]
    [InlineData("POST", "/partner/v2/send-message", """{ "projectId": "p0", "text": "Hello", "authorId": "\u0000" }""", "authorId")]
    [InlineData("POST", "/partner/v2/calendar-event", """{ "id": "e1", "projectId": "\u0000", "title": "T", "startTime": "2026-03-10 09:00", "timezone": "EST" }""", "projectId")]
    public async Task AStringHoldingTheCharacterNulIsA400NamingTheField(string method, string path, string json, string field)
    {
        // Found on PostgreSQL: "externalId": "a\u0000b" was a 500 (22021: invalid byte sequence for encoding "UTF8": 0x00),
        // whether the string was to be stored or only looked up. SQLite stored it.
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: "+15551234567");
        await tenant.ProjectAsync("p0", ["c1"]);

        var response = await SendAsync(tenant, new HttpMethod(method), path, Encoding.UTF8.GetBytes(json));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("U+0000", Assert.Single(problem.ErrorsFor(field)));
    }
}
