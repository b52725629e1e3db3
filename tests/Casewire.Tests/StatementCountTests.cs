using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using Casewire.Data;
using Casewire.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests;

/// <summary>
/// No N+1 on a request path: a request whose body or result holds a list runs as many statements for a
/// long list as for a short one. A statement per item inside a write transaction holds the writer's lock
/// the longer the list, and a page of a hundred events made a hundred round trips.
/// </summary>
public sealed class StatementCountTests(StatementCountTests.App app) : IClassFixture<StatementCountTests.App>
{
    /// <summary>The app with a command interceptor that records the statements of the requests that ask for it.</summary>
    public sealed class App : CasewireApp
    {
        public StatementCounter Counter { get; } = new();

        protected override void ConfigureServices(IServiceCollection services)
        {
            services.AddHttpContextAccessor();
            services.ConfigureDbContext<SqliteCasewireDb>(options => options.AddInterceptors(Counter));
            services.ConfigureDbContext<PostgresCasewireDb>(options => options.AddInterceptors(Counter));
        }

        protected override void StartHost()
        {
            base.StartHost();
            Counter.Requests = Services.GetRequiredService<IHttpContextAccessor>();
        }
    }

    [Fact]
    public async Task SavingACalendarEventRunsAsManyStatementsForTwentyAttendeesAndMembersAsForOneOfEachKind()
    {
        var tenant = await app.NewTenantAsync();
        var contacts = new List<int>();
        for (var i = 0; i < 20; i++)
            contacts.Add(await tenant.ContactAsync($"c{i}", phone: $"+1555200{i:D4}", email: $"c{i}@example.com"));
        for (var i = 0; i < 20; i++) await tenant.TeamMemberAsync($"tm{i}", $"tm{i}@example.com");
        await tenant.ProjectAsync("case-1", ["c0"]);
        await SaveEventAsync(tenant, "warm-up", [Attendee(contacts, 0)], ["tm0"], []);

        // One of each kind of reference (id, externalId, email, phone; CMS user id, email), then five or ten of each.
        var few = await SaveEventAsync(tenant, "few", Enumerable.Range(0, 4).Select(i => Attendee(contacts, i)).ToArray(),
            ["tm0", "tm1@example.com"], ["tm2", "tm3@example.com"]);
        var many = await SaveEventAsync(tenant, "many", Enumerable.Range(0, 20).Select(i => Attendee(contacts, i)).ToArray(),
            Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? $"tm{i}" : $"tm{i}@example.com").ToArray(),
            Enumerable.Range(10, 10).Select(i => i % 2 == 0 ? $"tm{i}" : $"tm{i}@example.com").ToArray());

        AssertSameCount("POST calendar-event", few, many);
    }

    [Fact]
    public async Task ACalendarEventAtEveryListMaximumRunsAsManyStatementsAsOneWithAFewReferences()
    {
        var tenant = await app.NewTenantAsync();
        var contacts = new List<int>();
        for (var i = 0; i < Casewire.Model.Limits.EventPeople; i++)
            contacts.Add(await tenant.ContactAsync($"c{i}", phone: $"+1555200{i:D4}", email: $"c{i}@example.com"));
        for (var i = 0; i < 2 * Casewire.Model.Limits.EventPeople; i++) await tenant.TeamMemberAsync($"mt{i}", $"mt{i}@example.com");
        await tenant.ProjectAsync("case-1", ["c0"]);
        await SaveEventAsync(tenant, "warm-up", [Attendee(contacts, 0)], ["mt0"], []);

        var few = await SaveEventAsync(tenant, "few", Enumerable.Range(0, 4).Select(i => Attendee(contacts, i)).ToArray(),
            ["mt0", "mt1@example.com"], ["mt2", "mt3@example.com"]);
        // SPEC §11's maxima: 100 attendees, 100 team members, 100 other members, in one request.
        var maximal = await SaveEventAsync(tenant, "maximal", Enumerable.Range(0, Casewire.Model.Limits.EventPeople).Select(i => Attendee(contacts, i)).ToArray(),
            Enumerable.Range(0, Casewire.Model.Limits.EventPeople).Select(i => i % 2 == 0 ? $"mt{i}" : $"mt{i}@example.com").ToArray(),
            Enumerable.Range(Casewire.Model.Limits.EventPeople, Casewire.Model.Limits.EventPeople).Select(i => i % 2 == 0 ? $"mt{i}" : $"mt{i}@example.com").ToArray());

        AssertSameCount("POST calendar-event at its maxima", few, maximal);
    }

    [Fact]
    public async Task ListingAProjectsUpcomingEventsRunsAsManyStatementsForFifteenEventsAsForOne()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("jane", phone: "+15551230001");
        await tenant.TeamMemberAsync("tm", "tm@example.com");
        await tenant.ProjectAsync("one", ["jane"]);
        await tenant.ProjectAsync("fifteen", ["jane"]);
        await SaveEventAsync(tenant, "one-0", ["jane"], ["tm"], [], project: "one");
        for (var i = 0; i < 15; i++) await SaveEventAsync(tenant, $"fifteen-{i}", ["jane"], ["tm"], [], project: "fifteen");
        await CountAsync(tenant, new HttpRequestMessage(HttpMethod.Get, "/partner/v2/projects/one/calendar-events"), HttpStatusCode.OK);

        var one = await CountAsync(tenant, new HttpRequestMessage(HttpMethod.Get, "/partner/v2/projects/one/calendar-events"), HttpStatusCode.OK);
        var fifteen = await CountAsync(tenant, new HttpRequestMessage(HttpMethod.Get, "/partner/v2/projects/fifteen/calendar-events"), HttpStatusCode.OK);

        AssertSameCount("GET calendar-events", one, fifteen);
    }

    [Fact]
    public async Task PuttingAProjectRunsAsManyStatementsForTenClientsAsForOne()
    {
        var tenant = await app.NewTenantAsync();
        var clients = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            await tenant.ContactAsync($"c{i}", phone: $"+1555300{i:D4}", email: $"c{i}@example.com");
            clients.Add(i % 2 == 0 ? $"\"c{i}\"" : $"{{\"externalId\": \"c{i}\"}}"); // both spellings of a reference
        }
        await tenant.ProjectAsync("warm-up", ["c0"], milestones: true);

        var one = await PutProjectAsync(tenant, "one", ["\"c0\""]);
        var ten = await PutProjectAsync(tenant, "ten", clients.ToArray());

        AssertSameCount("PUT projects", one, ten);
    }

    [Fact]
    public async Task SendingAMessageRunsAsManyStatementsForTenClientsAsForOne()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.TeamMemberAsync("tm", "tm@example.com");
        var clients = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            await tenant.ContactAsync($"c{i}", phone: $"+1555400{i:D4}");
            clients.Add($"c{i}");
        }
        await tenant.ProjectAsync("one", ["c0"]);
        await tenant.ProjectAsync("ten", clients.ToArray());
        await SendAsync(tenant, "one");

        var one = await SendAsync(tenant, "one");
        var ten = await SendAsync(tenant, "ten");

        AssertSameCount("POST send-message", one, ten);
    }

    [Fact]
    public async Task AnAuthenticatedReadOfAKnownTokenRunsNoStatementForTheToken()
    {
        var tenant = await app.NewTenantAsync();
        await (await tenant.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK); // the token's first use reads it

        var me = await CountAsync(tenant, new HttpRequestMessage(HttpMethod.Get, "/partner/v2/me"), HttpStatusCode.OK);

        Assert.True(me.Count == 0, "GET /me with a known token ran:\n" + string.Join("\n", me.Select(Shorten)));
    }

    [Fact]
    public async Task PuttingANewProjectWithMilestonesRunsTheseStatements()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c0", phone: "+15553000000", email: "c0@example.com");
        await tenant.ProjectAsync("warm-up", ["c0"], milestones: true);

        var statements = await PutProjectAsync(tenant, "new", ["\"c0\""]);

        AssertStatements("PUT a new project (its type and phase known, one client, milestones on)", statements, sqlite: 12, postgres: 11);
    }

    [Fact]
    public async Task PuttingANewContactRunsTheseStatements()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("warm-up", phone: "+15553000000", email: "w@example.com");

        var statements = await CountAsync(tenant, new HttpRequestMessage(HttpMethod.Put, "/partner/v2/contacts")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new
            {
                externalId = "new", firstName = "Jane", lastName = "Doe", email = "jane@example.com", phone = "+15553000001",
            }),
        }, HttpStatusCode.Created);

        AssertStatements("PUT a new contact", statements, sqlite: 2, postgres: 2);
    }

    [Fact]
    public async Task SendingAMessageToAProjectRunsTheseStatements()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c0", phone: "+15554000000");
        await tenant.ProjectAsync("one", ["c0"]);
        await SendAsync(tenant, "one", authorId: null);

        var statements = await SendAsync(tenant, "one", authorId: null);

        AssertStatements("POST send-message to a project of one client", statements, sqlite: 5, postgres: 5);
    }

    /// <summary>Contact <paramref name="i"/> referred to by its id, externalId, email or phone, in turn.</summary>
    static object Attendee(List<int> contacts, int i) => (i % 4) switch
    {
        0 => contacts[i],
        1 => $"c{i}",
        2 => $"c{i}@example.com",
        _ => $"+1555200{i:D4}",
    };

    Task<List<string>> SaveEventAsync(CasewireApp.Tenant tenant, string id, object[] attendees, string[] teamMembers, string[] otherMembers,
        string project = "case-1") =>
        CountAsync(tenant, new HttpRequestMessage(HttpMethod.Post, "/partner/v2/calendar-event")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new
            {
                id, projectId = project, title = "Hearing", attendees, teamMembers, otherMembers,
                startTime = "2026-07-01 09:30:00", timezone = "America/New_York",
                reminders = new[] { new { unit = "day", amount = 1 } },
            }),
        }, HttpStatusCode.Created);

    /// <summary>A new project; <paramref name="clients"/> are JSON references.</summary>
    Task<List<string>> PutProjectAsync(CasewireApp.Tenant tenant, string externalId, string[] clients) =>
        CountAsync(tenant, new HttpRequestMessage(HttpMethod.Put, "/partner/v2/projects")
        {
            Content = new StringContent($$"""
                { "externalId": "{{externalId}}", "name": "Case", "partnerPhaseName": "Intake", "clients": [{{string.Join(", ", clients)}}],
                  "partnerProjectTypeName": "Personal Injury", "milestonesEnabled": true, "status": "In Progress" }
                """, System.Text.Encoding.UTF8, "application/json"),
        }, HttpStatusCode.Created);

    Task<List<string>> SendAsync(CasewireApp.Tenant tenant, string project, string? authorId = "tm") =>
        CountAsync(tenant, new HttpRequestMessage(HttpMethod.Post, "/partner/v2/send-message")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { projectId = project, text = "Your hearing moved to Friday.", authorId }),
        }, HttpStatusCode.Accepted);

    /// <summary>Sends the request and returns the statements it ran.</summary>
    async Task<List<string>> CountAsync(CasewireApp.Tenant tenant, HttpRequestMessage request, HttpStatusCode expected)
    {
        var label = Guid.NewGuid().ToString("N");
        request.Headers.Add(StatementCounter.Header, label);
        using var response = await tenant.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{request.Method} {request.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.DoesNotContain("warnings\":[\"", text); // every reference resolved: the long list is really long
        return app.Counter.Of(label);
    }

    /// <summary>
    /// The same number of statements for both lists. On SQLite only reads are compared: it runs each row a
    /// save inserts or updates as a command of its own (in process, batching would save nothing), whereas
    /// PostgreSQL sends a save's rows in one batch, so there every command is compared.
    /// </summary>
    static void AssertSameCount(string what, List<string> few, List<string> many)
    {
        if (!CasewireApp.OnPostgres) (few, many) = (few.Where(Reads).ToList(), many.Where(Reads).ToList());
        Assert.True(few.Count == many.Count,
            $"{what}: {few.Count} statements for the short list, {many.Count} for the long one.\n--- short:\n" + string.Join("\n", few.Select(Shorten)) +
            "\n--- long:\n" + string.Join("\n", many.Select(Shorten)));
    }

    /// <summary>
    /// Exactly the write path's statements as they are now: more is a regression, fewer an improvement to pin
    /// here. PostgreSQL sends a save's rows in one batch and takes the project's row lock by a statement
    /// (SPEC §10), SQLite runs a command per row and needs no lock; so the counts differ.
    /// </summary>
    static void AssertStatements(string what, List<string> statements, int sqlite, int postgres)
    {
        var expected = CasewireApp.OnPostgres ? postgres : sqlite;
        Assert.True(statements.Count == expected,
            $"{what}: {statements.Count} statements, expected {expected}.\n" + string.Join("\n", statements.Select(Shorten)));
    }

    static bool Reads(string sql) =>
        !new[] { "INSERT", "UPDATE", "DELETE" }.Any(write => sql.TrimStart().StartsWith(write, StringComparison.OrdinalIgnoreCase));

    static string Shorten(string sql) => sql.ReplaceLineEndings(" ") is var line && line.Length > 200 ? line[..200] + " …" : line;

    /// <summary>
    /// Every command EF runs on behalf of a request that carries <see cref="Header"/>, grouped by the header's value.
    /// Background loops (housekeeping, digests) run without a request and are not counted.
    /// </summary>
    public sealed class StatementCounter : CommandListener
    {
        public const string Header = "X-Count-Statements";
        readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _byLabel = new();

        public IHttpContextAccessor? Requests { get; set; }

        public List<string> Of(string label) => _byLabel.TryGetValue(label, out var statements) ? statements.ToList() : [];

        protected override void Record(DbCommand command)
        {
            if (Requests?.HttpContext?.Request.Headers[Header].ToString() is { Length: > 0 } label)
                _byLabel.GetOrAdd(label, _ => new ConcurrentQueue<string>()).Enqueue(command.CommandText);
        }
    }
}
