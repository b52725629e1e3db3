using System.Net;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>SPEC §4: POST /partner/v2/send-message, GET messages/{id} and a project's conversation.</summary>
public sealed class SendMessageTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    // The published example, verbatim (trailing comma included).
    const string PublishedExample = """{ "projectId": "123-3123-123", "text": "New Project", "authorId": "32435", }""";

    const string PublishedProjectId = "123-3123-123"; // the published example's project

    List<System.Text.Json.Nodes.JsonObject> SinkLinesOf(int messageId) =>
        app.SinkLines().Where(l => (int?)l["messageId"] == messageId).ToList();

    [Fact]
    public async Task ThePublishedExampleVerbatimSendsExactlyOneSmsPerClient()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null), ("c2", "+15557654321", null));

        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", PublishedExample)).ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync();
        await app.DispatchAsync();

        var id = (int)accepted["id"]!;
        var lines = SinkLinesOf(id);
        Assert.Equal(["+15551234567", "+15557654321"], lines.Select(l => (string)l["to"]!).Order());
        Assert.All(lines, l => Assert.Equal("sms", (string?)l["channel"]));
        Assert.All(lines, l => Assert.Equal("New Project", (string?)l["text"]));
        Assert.Equal(["queued", "queued"], accepted["recipients"]!.AsArray().Select(r => (string)r!["status"]!));
    }

    [Fact]
    public async Task TheSinkLineHasThePublishedFieldsAndAMillisecondTimestamp()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));

        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", PublishedExample)).ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync();

        var line = Assert.Single(SinkLinesOf((int)accepted["id"]!));
        foreach (var field in new[] { "channel", "to", "from", "text", "subject", "messageId", "sentAt" })
            Assert.True(line.ContainsKey(field), $"sink line lacks {field}");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string)line["sentAt"]!);
    }

    [Fact]
    public async Task AnUnresolvedAuthorIdMakesTheAuthorCrmWithAWarning()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));

        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", PublishedExample)).ExpectAsync(HttpStatusCode.Accepted);

        Assert.Equal("CRM", (string?)accepted["author"]!["name"]);
        Assert.Equal("crm", (string?)accepted["author"]!["kind"]);
        Assert.Contains("32435", (string?)accepted["warnings"]![0]);
    }

    [Fact]
    public async Task AResolvedAuthorIdMakesTheTeamMemberTheAuthor()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));
        await tenant.TeamMemberAsync("32435", "sam.park@example.com", "Sam", "Park");

        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", PublishedExample)).ExpectAsync(HttpStatusCode.Accepted);

        Assert.Equal("Sam Park", (string?)accepted["author"]!["name"]);
        Assert.Equal("32435", (string?)accepted["author"]!["externalId"]);
        Assert.Empty(accepted["warnings"]!.AsArray());
    }

    [Fact]
    public async Task ProjectIdWinsOverPhoneNumber()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));

        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message",
            """{ "projectId": "123-3123-123", "phoneNumber": "+15550000000", "text": "Hi" }""")).ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync();

        Assert.Equal("+15551234567", (string?)Assert.Single(SinkLinesOf((int)accepted["id"]!))["to"]);
    }

    [Fact]
    public async Task APhoneOnlyMessageIsTextedButJoinsNoConversation()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));

        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message",
            """{ "phoneNumber": "(555) 123-4567", "text": "Court is closed tomorrow" }""")).ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync();

        var id = (int)accepted["id"]!;
        Assert.Equal("+15551234567", (string?)Assert.Single(SinkLinesOf(id))["to"]);
        var conversation = await (await tenant.Http.GetAsync("/partner/v2/projects/123-3123-123/messages")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(conversation["items"]!.AsArray());
        var message = await (await tenant.Http.GetAsync($"/partner/v2/messages/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(message["projectId"]);
        Assert.Equal("sent", (string?)message["recipients"]![0]!["status"]);
    }

    [Fact]
    public async Task AProjectMessageJoinsTheConversationNewestFirst()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));
        for (var i = 1; i <= 3; i++)
            await tenant.Http.PostJsonAsync("/partner/v2/send-message", $$"""{ "projectId": "123-3123-123", "text": "update {{i}}" }""");

        var first = await (await tenant.Http.GetAsync("/partner/v2/projects/123-3123-123/messages?limit=2")).ExpectAsync(HttpStatusCode.OK);
        var second = await (await tenant.Http.GetAsync($"/partner/v2/projects/123-3123-123/messages?limit=2&cursor={(string)first["nextCursor"]!}"))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["update 3", "update 2"], first["items"]!.AsArray().Select(m => (string)m!["text"]!));
        Assert.Equal(["update 1"], second["items"]!.AsArray().Select(m => (string)m!["text"]!));
        Assert.Null(second["nextCursor"]);
    }

    [Fact]
    public async Task AnUnknownProjectIsA404AndNothingIsStored()
    {
        var tenant = await app.NewTenantAsync();

        var response = await tenant.Http.PostJsonAsync("/partner/v2/send-message", """{ "projectId": "nope", "text": "Hi" }""");

        await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await app.WithDbAsync(db => db.Messages.CountAsync(m => m.CompanyId == tenant.CompanyId)));
    }

    [Theory]
    [InlineData("""{ "projectId": "123-3123-123" }""", "text")]
    [InlineData("""{ "projectId": "123-3123-123", "text": "   " }""", "text")]
    [InlineData("""{ "text": "Hi" }""", "projectId")]
    [InlineData("""{ "phoneNumber": "12", "text": "Hi" }""", "phoneNumber")]
    [InlineData("""{ "projectId": "123-3123-123", "text": 5 }""", "text")]
    public async Task BadInputIsA400NamingTheField(string body, string field)
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));

        var problem = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", body)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.ErrorsFor(field));
    }

    [Fact]
    public async Task TextLongerThan1600CharactersIsA400AndExactly1600IsAccepted()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));

        var tooLong = await tenant.Http.PostJsonAsync("/partner/v2/send-message", new { projectId = "123-3123-123", text = new string('a', 1601) });
        var longest = await tenant.Http.PostJsonAsync("/partner/v2/send-message", new { projectId = "123-3123-123", text = new string('a', 1600) });

        Assert.NotEmpty((await tooLong.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("text"));
        var accepted = await longest.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(11, (int)accepted["recipients"]![0]!["segments"]!); // 1600 GSM-7 characters: 153 per segment
    }

    [Fact]
    public async Task AClientWithOnlyAnEmailIsEmailed()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", null, "ann@example.com"));

        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", PublishedExample)).ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync();

        var line = Assert.Single(SinkLinesOf((int)accepted["id"]!));
        Assert.Equal("email", (string?)line["channel"]);
        Assert.Equal("ann@example.com", (string?)line["to"]);
        Assert.Contains("Case 123-3123-123", (string?)line["subject"]);
    }

    [Fact]
    public async Task AnOptedOutNumberIsSuppressedAndItsOwnerWithAnEmailIsEmailedInstead()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", "ann@example.com"), ("c2", "+15557654321", null));
        await OptOutAsync(tenant, "+15551234567");

        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", PublishedExample)).ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync();

        var recipients = accepted["recipients"]!.AsArray().Select(r => ((string)r!["channel"]!, (string)r["address"]!, (string)r["status"]!)).ToList();
        Assert.Contains(("sms", "+15551234567", "suppressed"), recipients);
        Assert.Contains(("email", "ann@example.com", "queued"), recipients);
        Assert.Contains(("sms", "+15557654321", "queued"), recipients);
        Assert.Equal(["+15557654321", "ann@example.com"], SinkLinesOf((int)accepted["id"]!).Select(l => (string)l["to"]!).Order());
    }

    [Fact]
    public async Task WhenEveryClientOptedOutWithoutAnEmailItIsA422WithTheReasonPerClient()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));
        await OptOutAsync(tenant, "+15551234567");

        var problem = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", PublishedExample)).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("opted-out", (string?)problem["recipients"]![0]!["reason"]);
        Assert.Equal("c1", (string?)problem["recipients"]![0]!["externalId"]);
        Assert.Equal(0, await app.WithDbAsync(db => db.Messages.CountAsync(m => m.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task APhoneOnlyMessageToAnOptedOutNumberIsA422()
    {
        var tenant = await app.NewTenantAsync();
        await OptOutAsync(tenant, "+15551234567");

        var problem = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message",
            """{ "phoneNumber": "+15551234567", "text": "Hi" }""")).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("opted-out", (string?)problem["recipients"]![0]!["reason"]);
    }

    [Fact]
    public async Task ANumberThatOptsOutAfterTheMessageWasQueuedIsNotTexted()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));
        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", PublishedExample)).ExpectAsync(HttpStatusCode.Accepted);

        await OptOutAsync(tenant, "+15551234567");
        await app.DispatchAsync();

        Assert.Empty(SinkLinesOf((int)accepted["id"]!));
        var message = await (await tenant.Http.GetAsync($"/partner/v2/messages/{(int)accepted["id"]!}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("suppressed", (string?)message["recipients"]![0]!["status"]);
    }

    [Fact]
    public async Task TheMessageIsStoredBefore202AndSentOnlyByTheDispatcher()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));

        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", PublishedExample)).ExpectAsync(HttpStatusCode.Accepted);
        var id = (int)accepted["id"]!;
        var pending = await app.WithDbAsync(db => db.OutboxItems.Where(o => o.MessageId == id).Select(o => o.Status).ToListAsync());
        var linesBefore = SinkLinesOf(id).Count;
        await app.DispatchAsync();

        Assert.Equal([DeliveryStatus.Pending], pending);
        Assert.Equal(0, linesBefore);
        Assert.Single(SinkLinesOf(id));
    }

    [Fact]
    public async Task GetMessageShowsEachRecipientsStatusAndAttemptsAndIsScopedToTheCompany()
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));
        var other = await app.NewTenantAsync();
        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", PublishedExample)).ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync();

        var id = (int)accepted["id"]!;
        var message = await (await tenant.Http.GetAsync($"/partner/v2/messages/{id}")).ExpectAsync(HttpStatusCode.OK);
        var foreign = await other.Http.GetAsync($"/partner/v2/messages/{id}");

        var recipient = message["recipients"]![0]!;
        Assert.Equal("sent", (string?)recipient["status"]);
        Assert.Equal($"sink-{(long)recipient["deliveryId"]!}", (string?)recipient["providerMessageId"]);
        Assert.Equal("c1", (string?)recipient["contactExternalId"]);
        Assert.Equal("sent", (string?)recipient["attempts"]![0]!["outcome"]);
        await foreign.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(160, "a", 1)]
    [InlineData(161, "a", 2)]
    [InlineData(70, "é", 1)] // é is in GSM-7
    [InlineData(80, "€", 1)] // an extension character costs two septets: 160
    [InlineData(81, "€", 2)]
    [InlineData(70, "ł", 1)] // not GSM-7: UCS-2, 70 per segment
    [InlineData(71, "ł", 2)]
    public async Task EachSmsRecordsItsSegmentCount(int length, string character, int segments)
    {
        var tenant = await app.ProjectWithClientsAsync(PublishedProjectId, ("c1", "+15551234567", null));

        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message",
            new { projectId = "123-3123-123", text = string.Concat(Enumerable.Repeat(character, length)) })).ExpectAsync(HttpStatusCode.Accepted);

        Assert.Equal(segments, (int)accepted["recipients"]![0]!["segments"]!);
    }

    Task OptOutAsync(CasewireApp.Tenant tenant, string phone) => app.WithDbAsync(async db =>
    {
        await OptOuts.SetAsync(db, tenant.CompanyId, phone, active: true, "STOP", app.Time.GetUtcNow(), CancellationToken.None);
        await db.SaveChangesAsync();
    });
}
