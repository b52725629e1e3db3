using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests;

/// <summary>SPEC §12: <c>/partner/v2/mass-messages</c> — the filter, each client once, skipped and counted, sendAt, cancel, tenancy.</summary>
public sealed class MassMessageTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    const string Path = "/partner/v2/mass-messages";

    /// <summary>
    /// Four projects, one client each: a (PI, Intake, In Progress), b (Family Law, Discovery, In Progress),
    /// c (PI, Discovery, Completed), d (Family Law, Intake, Not Started, milestones on).
    /// </summary>
    async Task<CasewireApp.Tenant> FourCasesAsync()
    {
        var tenant = await app.NewTenantAsync();
        foreach (var c in new[] { "a", "b", "c", "d" }) await tenant.ContactAsync(c, PartnerSetup.UniqueNumber(), firstName: c.ToUpperInvariant());
        await tenant.ProjectAsync("p1", ["a"], phase: "Intake", type: "Personal Injury");
        await tenant.ProjectAsync("p2", ["b"], phase: "Discovery", type: "Family Law");
        await tenant.ProjectAsync("p3", ["c"], phase: "Discovery", type: "Personal Injury", status: "Completed");
        await tenant.ProjectAsync("p4", ["d"], phase: "Intake", type: "Family Law", status: "Not Started", milestones: true);
        return tenant;
    }

    static Task<HttpResponseMessage> PostAsync(CasewireApp.Tenant tenant, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return tenant.Http.SendAsync(request);
    }

    static async Task<JsonObject> AcceptedAsync(CasewireApp.Tenant tenant, object body) =>
        await (await PostAsync(tenant, body)).ExpectAsync(HttpStatusCode.Accepted);

    /// <summary>The contacts (externalIds) a mass message has deliveries for, in order.</summary>
    Task<List<string>> ContactsOfAsync(int massId) => app.WithDbAsync(db =>
        db.OutboxItems.Where(o => o.MassMessageId == massId)
            .Join(db.Contacts, o => o.ContactId, c => c.Id, (o, c) => c.ExternalId).OrderBy(x => x).ToListAsync());

    Task<List<OutboxItem>> ItemsOfAsync(int massId) => app.WithDbAsync(db =>
        db.OutboxItems.AsNoTracking().Include(o => o.Message).Where(o => o.MassMessageId == massId).OrderBy(o => o.Id).ToListAsync());

    async Task<string[]> MatchAsync(CasewireApp.Tenant tenant, object filter)
    {
        var accepted = await AcceptedAsync(tenant, new { text = "Hello {client.firstName}", filter });
        return [.. await ContactsOfAsync((int)accepted["id"]!)];
    }

    [Fact]
    public async Task EachFilterFieldAloneMatchesOnlyItsProjects()
    {
        var tenant = await FourCasesAsync();

        Assert.Equal(["a", "c"], await MatchAsync(tenant, new { projectTypes = new[] { "personal  injury" } }));
        Assert.Equal(["b", "c"], await MatchAsync(tenant, new { phases = new[] { "DISCOVERY" } }));
        Assert.Equal(["c"], await MatchAsync(tenant, new { statuses = new[] { "completed" } }));
        Assert.Equal(["a", "b"], await MatchAsync(tenant, new { statuses = new[] { "In Progress" } }));
        Assert.Equal(["d"], await MatchAsync(tenant, new { milestonesEnabled = true }));
        Assert.Equal(["a", "b", "c"], await MatchAsync(tenant, new { milestonesEnabled = false }));
        Assert.Equal(["b", "d"], await MatchAsync(tenant, new { projectIds = new[] { "p2", "p4" } }));
    }

    [Fact]
    public async Task FilterFieldsCombineAsAnd()
    {
        var tenant = await FourCasesAsync();

        Assert.Equal(["c"], await MatchAsync(tenant, new { projectTypes = new[] { "Personal Injury" }, phases = new[] { "Discovery" } }));
        Assert.Equal(["d"], await MatchAsync(tenant, new { projectTypes = new[] { "Family Law" }, statuses = new[] { "Not Started" }, milestonesEnabled = true }));
        Assert.Equal(["a"], await MatchAsync(tenant, new { projectIds = new[] { "p1", "p2" }, phases = new[] { "Intake" } }));
        var none = await PostAsync(tenant, new { text = "x", filter = new { projectTypes = new[] { "Family Law" }, statuses = new[] { "Completed" } } });
        var problem = await none.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("matches no client", (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("""{ "text": "Hi", "filter": {} }""", "filter")]
    [InlineData("""{ "text": "Hi", "filter": { "projectTypes": [], "phases": [" "] } }""", "filter")]
    [InlineData("""{ "text": "Hi" }""", "filter")]
    [InlineData("""{ "text": "Hi", "filter": { "statuses": ["Closed"] } }""", "filter.statuses")]
    [InlineData("""{ "text": "Hi {client.middleName}", "filter": { "milestonesEnabled": true } }""", "text")]
    [InlineData("""{ "text": "", "filter": { "milestonesEnabled": true } }""", "text")]
    [InlineData("""{ "text": "Hi", "filter": { "milestonesEnabled": true }, "sendAt": "next friday" }""", "sendAt")]
    public async Task BadInputIsA400NamingTheFieldAndWritesNothing(string body, string field)
    {
        var tenant = await FourCasesAsync();

        var problem = await (await tenant.Http.PostJsonAsync(Path, body)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.ErrorsFor(field));
        Assert.Equal(0, await app.WithDbAsync(db => db.MassMessages.CountAsync(m => m.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task AClientOnTwoMatchingProjectsReceivesItOnceAndTheRepeatIsCounted()
    {
        var tenant = await app.NewTenantAsync();
        var phone = PartnerSetup.UniqueNumber();
        await tenant.ContactAsync("a", phone, firstName: "Ann");
        await tenant.ProjectAsync("p1", ["a"], name: "First case");
        await tenant.ProjectAsync("p2", ["a"], name: "Second case");

        var accepted = await AcceptedAsync(tenant, new { text = "Hi {client.firstName}, about {project.name}", filter = new { projectIds = new[] { "p1", "p2" } } });
        await app.DispatchAsync();

        Assert.Equal(1, (int)accepted["recipients"]!);
        Assert.Equal(1, (int)accepted["skipped"]!["duplicate"]!);
        var line = Assert.Single(app.SinkLines(), l => (string?)l["to"] == phone);
        Assert.Equal("Hi Ann, about First case", (string?)line["text"]);
    }

    [Fact]
    public async Task AnOptedOutClientIsSkippedAndCountedUnlessTheyHaveAnEmail()
    {
        var tenant = await app.NewTenantAsync();
        var (stopped, stoppedWithEmail, fine) = (PartnerSetup.UniqueNumber(), PartnerSetup.UniqueNumber(), PartnerSetup.UniqueNumber());
        await tenant.ContactAsync("stopped", stopped);
        await tenant.ContactAsync("mailable", stoppedWithEmail, "mail@example.com");
        await tenant.ContactAsync("fine", fine);
        await tenant.ProjectAsync("p1", ["stopped", "mailable", "fine"]);
        foreach (var number in new[] { stopped, stoppedWithEmail })
            await app.WithDbAsync(async db =>
            {
                await OptOuts.SetAsync(db, tenant.CompanyId, number, active: true, "STOP", app.Time.GetUtcNow(), CancellationToken.None);
                await db.SaveChangesAsync();
            });

        var accepted = await AcceptedAsync(tenant, new { text = "Office moved", filter = new { projectIds = new[] { "p1" } } });

        Assert.Equal(2, (int)accepted["recipients"]!);
        Assert.Equal(1, (int)accepted["skipped"]!["optedOut"]!);
        Assert.Equal(0, (int)accepted["skipped"]!["unreachable"]!); // a contact always has a phone or an email (SPEC §2)
        var items = await ItemsOfAsync((int)accepted["id"]!);
        Assert.Equal([(Channel.Sms, fine), (Channel.Email, "mail@example.com")], items.Select(i => (i.Channel, i.To)).OrderBy(x => x.Channel));
    }

    [Fact]
    public async Task KeepOutOfConversationsDecidesWhetherTheTextJoinsTheProjectsConversation()
    {
        var tenant = await FourCasesAsync();

        var joined = await AcceptedAsync(tenant, new { text = "In", filter = new { projectIds = new[] { "p1" } } });
        var kept = await AcceptedAsync(tenant, new { text = "Out", filter = new { projectIds = new[] { "p1" } }, keepOutOfConversations = true });

        Assert.True((await ItemsOfAsync((int)joined["id"]!)).Single().Message!.ProjectId is not null);
        Assert.Null((await ItemsOfAsync((int)kept["id"]!)).Single().Message!.ProjectId);
        var conversation = await (await tenant.Http.GetAsync("/partner/v2/projects/p1/messages")).ExpectAsync(HttpStatusCode.OK);
        var texts = conversation["items"]!.AsArray().Select(m => (string?)m!["text"]).ToList();
        Assert.Contains("In", texts);
        Assert.DoesNotContain("Out", texts);
    }

    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>The class shares one clock that tests move on: a local day and time in New York at least a day ahead.</summary>
    DateTime LocalDayAhead(DayOfWeek? day, int hour, int minute)
    {
        var local = TimeZoneInfo.ConvertTime(app.Time.GetUtcNow(), NewYork).Date.AddDays(1);
        while (day is { } d && local.DayOfWeek != d) local = local.AddDays(1);
        return local.AddHours(hour).AddMinutes(minute);
    }

    static DateTimeOffset InNewYork(DateTime local) => new(local, NewYork.GetUtcOffset(local));

    [Fact]
    public async Task ALocalSendAtIsReadInTheCompanysZoneAndWaitsUntilThen()
    {
        var tenant = await FourCasesAsync(); // companies are in New York unless set otherwise
        var local = LocalDayAhead(null, 9, 30);

        var accepted = await AcceptedAsync(tenant, new { text = "Later", filter = new { projectIds = new[] { "p1" } }, sendAt = local.ToString("yyyy-MM-dd'T'HH:mm") });
        var id = (int)accepted["id"]!;
        Assert.Equal(InNewYork(local), (DateTimeOffset)accepted["sendAt"]!);
        Assert.Equal("scheduled", (string?)accepted["status"]);

        await app.DispatchAsync();
        Assert.Equal(DeliveryStatus.Pending, (await ItemsOfAsync(id)).Single().Status);
        app.Time.Advance(InNewYork(local) - app.Time.GetUtcNow());
        await app.DispatchAsync();

        var got = await (await tenant.Http.GetAsync($"{Path}/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, (int)got["counts"]!["sent"]!);
        Assert.Equal(0, (int)got["counts"]!["queued"]!);
        Assert.Equal("completed", (string?)got["status"]);
    }

    [Fact]
    public async Task ASendAtWithAnOffsetIsThatInstantAndWithinDeliveryWindowMovesItToTheNextOpening()
    {
        var tenant = await FourCasesAsync();
        var saturday = LocalDayAhead(DayOfWeek.Saturday, 10, 0);
        var instant = new DateTimeOffset(saturday.AddHours(1), TimeSpan.FromHours(1));

        var exact = await AcceptedAsync(tenant, new { text = "x", filter = new { projectIds = new[] { "p1" } }, sendAt = instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz") });
        // Saturday 10:00 in New York: the window (Mon–Fri 08:00–20:00) opens on Monday at 08:00.
        var windowed = await AcceptedAsync(tenant, new
        {
            text = "x", filter = new { projectIds = new[] { "p1" } }, sendAt = saturday.ToString("yyyy-MM-dd'T'HH:mm"), withinDeliveryWindow = true,
        });

        var monday = InNewYork(saturday.Date.AddDays(2).AddHours(8));
        Assert.Equal(instant, (DateTimeOffset)exact["sendAt"]!);
        Assert.Equal(monday, (DateTimeOffset)windowed["sendAt"]!);
        Assert.Equal(monday, (await ItemsOfAsync((int)windowed["id"]!)).Single().DueAt);
    }

    [Fact]
    public async Task CancelBeforeAnythingWentOutCancelsEveryDelivery()
    {
        var tenant = await FourCasesAsync();
        var accepted = await AcceptedAsync(tenant, new
        {
            text = "Soon", filter = new { milestonesEnabled = false }, sendAt = LocalDayAhead(null, 9, 0).ToString("yyyy-MM-dd'T'HH:mm"),
        });
        var id = (int)accepted["id"]!;

        (await tenant.Http.DeleteAsync($"{Path}/{id}")).EnsureSuccessStatusCode();
        app.Time.Advance(TimeSpan.FromDays(2));
        await app.DispatchAsync();

        var got = await (await tenant.Http.GetAsync($"{Path}/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("canceled", (string?)got["status"]);
        Assert.Equal(3, (int)got["counts"]!["canceled"]!);
        Assert.Equal(0, (int)got["counts"]!["sent"]!);
        Assert.All(await ItemsOfAsync(id), i => Assert.Equal(DeliveryStatus.Canceled, i.Status));
    }

    [Fact]
    public async Task CancelAfterPartWentOutLeavesTheSentOnesSentAndCancelsTheRest()
    {
        var tenant = await app.NewTenantAsync();
        var phone = PartnerSetup.UniqueNumber();
        await tenant.ContactAsync("texted", phone);
        await tenant.ContactAsync("mailed", email: "mailed@example.com");
        await tenant.ProjectAsync("p1", ["texted", "mailed"]);
        var accepted = await AcceptedAsync(tenant, new { text = "Now", filter = new { projectIds = new[] { "p1" } } });
        var id = (int)accepted["id"]!;

        // Only the texts' lane runs: the text leaves, the email is still queued.
        await app.Services.GetRequiredService<Dispatcher>().DispatchDueAsync(Lane.Sms, CancellationToken.None);
        (await tenant.Http.DeleteAsync($"{Path}/{id}")).EnsureSuccessStatusCode();
        await app.DispatchAsync();

        var items = await ItemsOfAsync(id);
        Assert.Equal(DeliveryStatus.Sent, items.Single(i => i.Channel == Channel.Sms).Status);
        Assert.Equal(DeliveryStatus.Canceled, items.Single(i => i.Channel == Channel.Email).Status);
        var got = await (await tenant.Http.GetAsync($"{Path}/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((1, 1, 0), ((int)got["counts"]!["sent"]!, (int)got["counts"]!["canceled"]!, (int)got["counts"]!["queued"]!));
        Assert.Single(app.SinkLines(), l => (string?)l["to"] == phone);
        Assert.DoesNotContain(app.SinkLines(), l => (string?)l["to"] == "mailed@example.com");
    }

    [Fact]
    public async Task TheSameIdempotencyKeyReplaysTheFirstResponseAndSendsOnce()
    {
        var tenant = await FourCasesAsync();
        var body = new { text = "Once", filter = new { projectIds = new[] { "p1", "p2" } } };

        var first = await (await PostAsync(tenant, body, "mm-key-1")).ExpectAsync(HttpStatusCode.Accepted);
        var again = await PostAsync(tenant, body, "mm-key-1");
        var other = await PostAsync(tenant, new { text = "Other", filter = new { projectIds = new[] { "p1" } } }, "mm-key-1");

        Assert.Equal(first.Compact(), (await again.ExpectAsync(HttpStatusCode.Accepted)).Compact());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        await other.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, await app.WithDbAsync(db => db.MassMessages.CountAsync(m => m.CompanyId == tenant.CompanyId)));
        Assert.Equal(2, await app.WithDbAsync(db => db.OutboxItems.CountAsync(o => o.CompanyId == tenant.CompanyId && o.MassMessageId != null)));
    }

    [Fact]
    public async Task AnotherFirmsProjectIdsNeverMatchAndItsMassMessagesCannotBeSeenOrCanceled()
    {
        var victim = await FourCasesAsync();
        var hostile = await app.NewTenantAsync();
        await hostile.ContactAsync("own", PartnerSetup.UniqueNumber());
        await hostile.ProjectAsync("mine", ["own"]);
        var victims = await AcceptedAsync(victim, new { text = "Private", filter = new { projectIds = new[] { "p1" } }, sendAt = LocalDayAhead(null, 9, 0).ToString("yyyy-MM-dd'T'HH:mm") });
        var victimsId = (int)victims["id"]!;

        var none = await PostAsync(hostile, new { text = "Gotcha", filter = new { projectIds = new[] { "p1", "p2", "p3", "p4" } } });
        var typed = await PostAsync(hostile, new { text = "Gotcha", filter = new { projectTypes = new[] { "Family Law" } } });
        var own = await AcceptedAsync(hostile, new { text = "Mine", filter = new { milestonesEnabled = false } });

        await none.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        await typed.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["own"], await ContactsOfAsync((int)own["id"]!));
        await (await hostile.Http.GetAsync($"{Path}/{victimsId}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await hostile.Http.DeleteAsync($"{Path}/{victimsId}")).ProblemAsync(HttpStatusCode.NotFound);
        var list = await (await hostile.Http.GetAsync(Path)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([(int)own["id"]!], list["items"]!.AsArray().Select(m => (int)m!["id"]!));
        Assert.All(await ItemsOfAsync(victimsId), i => Assert.Equal(DeliveryStatus.Pending, i.Status));
    }

    [Fact]
    public async Task TheListIsNewestFirstAndPagedByCursor()
    {
        var tenant = await FourCasesAsync();
        var ids = new List<int>();
        for (var i = 0; i < 3; i++) ids.Add((int)(await AcceptedAsync(tenant, new { text = $"n{i}", filter = new { projectIds = new[] { "p1" } } }))["id"]!);

        var first = await (await tenant.Http.GetAsync($"{Path}?limit=2")).ExpectAsync(HttpStatusCode.OK);
        var second = await (await tenant.Http.GetAsync($"{Path}?limit=2&cursor={(string?)first["nextCursor"]}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([ids[2], ids[1]], first["items"]!.AsArray().Select(m => (int)m!["id"]!));
        Assert.Equal([ids[0]], second["items"]!.AsArray().Select(m => (int)m!["id"]!));
        Assert.Null(second["nextCursor"]);
        Assert.Equal(1, (int)first["items"]![0]!["counts"]!["queued"]!);
        await (await tenant.Http.GetAsync($"{Path}?cursor=nonsense")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PlaceholdersAreFilledForEachClient()
    {
        var tenant = await FourCasesAsync();

        var accepted = await AcceptedAsync(tenant, new
        {
            text = "{client.firstName}: {project.name} is in {phase.name}. {company.name}", filter = new { projectIds = new[] { "p1", "p2" } },
        });

        var texts = (await ItemsOfAsync((int)accepted["id"]!)).Select(i => i.Body).Order().ToList();
        Assert.Equal([$"A: Case p1 is in Intake. Firm {tenant.Slug}", $"B: Case p2 is in Discovery. Firm {tenant.Slug}"], texts);
    }
}
