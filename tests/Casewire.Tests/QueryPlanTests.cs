using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Text.RegularExpressions;
using Casewire.Data;
using Casewire.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests;

/// <summary>
/// Query plans: every statement the Partner API, the Company App, the portal and the dispatcher run finds
/// its rows through an index. A full scan of a table that grows with the firm's cases makes a request
/// slower with every case: the load benchmark found send-message at a fifth of its speed once 4,000
/// cases existed, because SQLite materialised every project's clients to find one project's.
/// SQLite's <c>EXPLAIN QUERY PLAN</c> says it without needing a large database.
/// </summary>
public sealed partial class QueryPlanTests(QueryPlanTests.App app) : IClassFixture<QueryPlanTests.App>
{
    /// <summary>The app with a command interceptor that records every statement it runs.</summary>
    public sealed class App : CasewireApp
    {
        public StatementRecorder Recorder { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) =>
            services.ConfigureDbContext<SqliteCasewireDb>(options => options.AddInterceptors(Recorder));
    }

    /// <summary>Tables whose size is the firm's configuration (a few rows per company), where a scan costs nothing.</summary>
    static readonly HashSet<string> SmallTables =
    [
        "Companies", "ProjectTypes", "Phases", "PhaseTriggers", "PhaseDrips", "UnmappedPhaseNames", "WebhookEndpoints",
        "DataProtectionKeys", "__EFMigrationsHistory", "__EFMigrationsLock",
    ];

    [Fact]
    public async Task NoStatementOfTheApiTheCompanyAppThePortalOrTheDispatcherScansATableThatGrowsWithTheFirm()
    {
        if (app.SqliteFile is not { } file)
        {
            Assert.Skip("Reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL runs the same LINQ (its planner picks scans on tables this small).");
            return;
        }
        var tenant = await app.NewTenantAsync();
        var recorder = app.Recorder;
        recorder.Statements.Clear();

        await ExerciseEverythingAsync(tenant);

        var findings = new List<string>();
        foreach (var statement in recorder.Statements.Keys)
            foreach (var scan in await FullScansAsync(file, statement))
                findings.Add($"{scan}\n  in: {Shorten(statement)}");
        Assert.True(recorder.Statements.Count > 50, $"only {recorder.Statements.Count} statements were recorded");
        Assert.True(findings.Count == 0, $"{findings.Count} full scan(s):\n" + string.Join("\n\n", findings));
    }

    /// <summary>Each Partner API endpoint, the Company App's pages, a portal visit and reply, and dispatcher rounds.</summary>
    async Task ExerciseEverythingAsync(CasewireApp.Tenant tenant)
    {
        var http = tenant.Http;
        await tenant.TeamMemberAsync("tm-1", "sam.park@example.com");
        var jane = await tenant.ContactAsync("jane", phone: "+15551230001", email: "jane@example.com");
        await tenant.ContactAsync("joe", phone: "+15551230002");
        await tenant.ContactAsync("jane", phone: "+15551230001", email: "jane.smith@example.com"); // an update
        var projectId = await tenant.ProjectAsync("case-1", ["jane", "joe"], milestones: true);
        await tenant.ProjectAsync("case-1", ["jane"], phase: "Discovery", milestones: true); // a phase change, a client leaves
        await tenant.ProjectAsync("case-2", ["joe"]);

        var sent = await (await http.PostJsonAsync("/partner/v2/send-message",
            new { projectId = "case-1", text = "Your hearing moved to Friday.", authorId = "tm-1" })).ExpectAsync(HttpStatusCode.Accepted);
        await (await http.PostJsonAsync("/partner/v2/send-message", new { phoneNumber = "+15551230009", text = "Hello" }))
            .ExpectAsync(HttpStatusCode.Accepted);
        await (await http.PostJsonAsync("/partner/v2/calendar-event", new
        {
            id = "ev-1", projectId = "case-1", title = "Hearing", attendees = new[] { "jane" }, teamMembers = new[] { "tm-1" },
            startTime = "2026-03-02 09:30:00", timezone = "America/New_York", location = "Courtroom 4",
            reminders = new[] { new { unit = "day", amount = 1 } }, notify = true,
        })).ExpectAsync(HttpStatusCode.Created);
        await app.DispatchAsync();

        foreach (var path in new[]
                 {
                     "/partner/v2/me", "/partner/v2/contacts/jane", "/partner/v2/contacts?limit=10", "/partner/v2/projects/case-1",
                     "/partner/v2/projects?limit=10", "/partner/v2/team-members/tm-1", $"/partner/v2/messages/{(int)sent["id"]!}",
                     "/partner/v2/projects/case-1/messages", "/partner/v2/projects/case-1/calendar-events",
                     "/partner/v2/project/case-1/calendar-event/ev-1",
                 })
        {
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        }
        using (var deleted = await http.DeleteAsync("/partner/v2/project/case-1/calendar-event/ev-1"))
            Assert.True(deleted.IsSuccessStatusCode, $"DELETE calendar event: {(int)deleted.StatusCode}");

        var portal = await app.PortalPathAsync(tenant.CompanyId, projectId, jane);
        var client = app.ClientBrowser();
        await client.GetPageAsync(portal);
        await app.ReplyAsync(portal, "Thank you, see you Friday.");
        await app.DispatchAsync();

        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        foreach (var path in new[]
                 {
                     "/", "/projects", "/projects?q=jane", "/projects?q=5551230001", $"/projects/{projectId}", "/deliveries",
                     "/deliveries?direction=inbound", "/deliveries?q=5551230001", "/project-types", "/settings", "/settings/integrations",
                     "/team", "/account/notifications", "/inbox", "/inbox?show=unread", "/inbox?show=mine", "/inbox?show=archived",
                     "/mass-messages", "/mass-messages/new",
                 })
            await staff.GetPageAsync(path);
        await staff.PostFormAsync("/inbox?handler=Flag", new() { ["projectId"] = projectId.ToString(), ["flagged"] = "true" });
        var mass = await staff.PostFormAsync("/mass-messages/new?handler=Send", new() { ["Form.Text"] = "Closed Friday.", ["Form.ProjectIds"] = "case-1" });
        Assert.Equal(HttpStatusCode.Redirect, mass.StatusCode);
        await staff.GetPageAsync(mass.Headers.Location!.OriginalString);
        var send = await staff.PostFormAsync($"/projects/{projectId}?handler=Send", new() { ["Text"] = "We filed the motion today." });
        Assert.True(send.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.OK, $"send box: {send.StatusCode}");
        app.Time.Advance(TimeSpan.FromDays(2));
        await app.DispatchAsync();
    }

    /// <summary>The plan's full scans of growing tables: <c>SCAN alias</c> with no index, naming the table.</summary>
    static async Task<List<string>> FullScansAsync(string file, string statement)
    {
        var found = new List<string>();
        var aliases = TableAliases(statement);
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        foreach (var single in SplitStatements().Split(statement).Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            if (!ReadsRows().IsMatch(single)) continue; // INSERTs, PRAGMAs, transactions: no plan to read
            if (NeverTrue().IsMatch(single)) continue; // an empty IN list: SQLite reads no row at all
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + single;
            foreach (var name in Parameters().Matches(single).Select(m => m.Value).Distinct())
                explain.Parameters.AddWithValue(name, DBNull.Value);
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var detail = reader.GetString(3);
                var scan = BareScan().Match(detail);
                if (!scan.Success) continue;
                var table = aliases.GetValueOrDefault(scan.Groups[1].Value, scan.Groups[1].Value);
                if (!SmallTables.Contains(table) && !table.StartsWith("subquery", StringComparison.Ordinal) && aliases.ContainsValue(table))
                    found.Add($"{detail} ({table})");
            }
        }
        return found;
    }

    /// <summary>alias → table, from EF's <c>FROM "Table" AS "t"</c> (a table without an alias is its own).</summary>
    static Dictionary<string, string> TableAliases(string sql)
    {
        var aliases = new Dictionary<string, string>();
        foreach (Match m in TableReference().Matches(sql))
        {
            var table = m.Groups[1].Value;
            aliases[m.Groups[2].Success ? m.Groups[2].Value : table] = table;
        }
        return aliases;
    }

    static string Shorten(string sql) => sql.Length <= 600 ? sql : sql[..600] + " …";

    [GeneratedRegex(@";\s*(\r?\n|$)")] private static partial Regex SplitStatements();
    [GeneratedRegex(@"^\s*(SELECT|UPDATE|DELETE|WITH)\b", RegexOptions.IgnoreCase)] private static partial Regex ReadsRows();
    [GeneratedRegex(@"\bWHERE 0\s*$")] private static partial Regex NeverTrue();
    [GeneratedRegex(@"@\w+")] private static partial Regex Parameters();
    [GeneratedRegex(@"^SCAN (\S+)$")] private static partial Regex BareScan();
    [GeneratedRegex(@"(?:FROM|JOIN|UPDATE|INTO)\s+""(\w+)""(?:\s+AS\s+""(\w+)"")?", RegexOptions.IgnoreCase)] private static partial Regex TableReference();

    /// <summary>Every distinct statement EF runs through the app's contexts.</summary>
    public sealed class StatementRecorder : CommandListener
    {
        public ConcurrentDictionary<string, bool> Statements { get; } = new();

        protected override void Record(DbCommand command) => Statements.TryAdd(command.CommandText, true);
    }
}
