using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using static Casewire.Bench.Stats;

namespace Casewire.Bench;

sealed record MassResult(
    string Database, int Clients, int Recipients, double AcceptSeconds, double DrainSeconds, double ItemsPerSecond,
    int SentOnce, int SentTwiceOrMore, int Missing, string Status, string? Error)
{
    public bool AcceptedInTime => AcceptSeconds < MassBenchmark.AcceptTarget.TotalSeconds;
    public bool Complete => Error is null && Recipients == Clients && SentOnce == Clients && SentTwiceOrMore == 0 && Missing == 0;
}

/// <summary>
/// A mass message to 10,000 clients (SPEC §12) against the real server with the sink provider. The firm's clients,
/// one project each, are written by SQL before the server starts; a one-client mass message warms the path up.
/// Accept = <c>POST /partner/v2/mass-messages</c> until its <c>202</c> (the mass message and every recipient's message
/// and outbox item written, in one transaction). Drain = the dispatcher at its usual settings sending them all;
/// exactly once = every one of the mass message's deliveries appears once in the sink file, none twice, none missing.
/// </summary>
sealed class MassBenchmark(BenchContext context)
{
    public static readonly TimeSpan AcceptTarget = TimeSpan.FromSeconds(5);
    static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(10);

    public async Task<MassResult> RunAsync(string provider, CancellationToken ct)
    {
        var clients = context.Int("recipients", 10_000);
        try
        {
            var (db, companyId, token) = await context.NewDatabaseAsync(provider, "mass", ct);
            await using var _db = db;
            await SeedAsync(db, companyId, clients, ct);
            await using var server = await context.StartServerAsync(db, $"{provider}-mass", ct);
            using var client = new PartnerClient(server.BaseUri, token);

            var warmUp = await client.PostAsync("partner/v2/mass-messages", new { text = "Warm-up", filter = new { projectIds = new[] { "seed-case-1" } } }, ct);
            await WaitUntilSentAsync(db, warmUp.GetProperty("id").GetInt32(), server, $"{provider} mass warm-up", TimeSpan.FromMinutes(1), ct);

            var accept = Stopwatch.StartNew();
            var accepted = await client.PostAsync("partner/v2/mass-messages", new
            {
                text = "Hi {client.firstName}, our office has moved to 5 Main St, Suite 200. Same phone number. {company.name}",
                filter = new { projectTypes = new[] { "Personal Injury" } },
            }, ct);
            var acceptSeconds = accept.Elapsed.TotalSeconds;
            var id = accepted.GetProperty("id").GetInt32();
            var recipients = accepted.GetProperty("recipients").GetInt32();
            Log($"{provider} mass: {recipients:N0} recipients accepted in {acceptSeconds:0.00} s (POST until 202)");

            var drained = await WaitUntilSentAsync(db, id, server, $"{provider} mass", DrainTimeout, ct);
            await Task.Delay(500, ct);
            var (once, twice, missing, drainSeconds) = await CheckSinkAsync(db, server.SinkPath, id, ct);
            var status = (await client.GetAsync($"partner/v2/mass-messages/{id}", ct)).GetProperty("status").GetString() ?? "?";
            var result = new MassResult(provider, clients, recipients, acceptSeconds, drainSeconds, once / Math.Max(drainSeconds, 0.001),
                once, twice, missing, status, drained ? null : "not every delivery left within the time limit");
            Log($"{provider} mass: drained in {drainSeconds:0.0} s ({result.ItemsPerSecond:N0}/s); sink: {once:N0} once, {twice:N0} more than once, {missing:N0} missing; status {status}");
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log($"{provider} mass: FAILED: {e.Message}");
            return new MassResult(provider, clients, 0, 0, 0, 0, 0, 0, 0, "?", e.Message);
        }
    }

    /// <summary>The project type, <paramref name="n"/> clients (a phone each) and one project per client, by SQL (see <see cref="ScaleSeed"/>).</summary>
    static async Task SeedAsync(BenchDatabase db, int companyId, int n, CancellationToken ct)
    {
        var pg = db.Provider == "Postgres";
        var (False, created) = pg ? ("false", "now()") : ("0", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var series = pg ? $"generate_series(1, {n}) AS s(i)" : "s";
        var with = pg ? "" : $"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) ";
        var pad = pg ? "lpad(i::text, 7, '0')" : "printf('%07d', i)";
        var clock = Stopwatch.StartNew();
        await db.ExecuteAsync($"""
            INSERT INTO "ProjectTypes" ("Id", "CompanyId", "Name", "NormalizedName", "IsLocked", "CreatedAt")
            VALUES (1, {companyId}, 'Personal Injury', '{Casewire.Model.PartnerNames.Normalize("Personal Injury")}', {False}, {created})
            """, ct);
        await db.ExecuteAsync($"""
            INSERT INTO "Contacts" ("Id", "CompanyId", "ExternalId", "FirstName", "LastName", "Phone", "CreatedAt", "UpdatedAt")
            {with}SELECT i, {companyId}, 'seed-contact-' || i, 'Client', 'No' || i, '+1555' || {pad}, {created}, {created} FROM {series}
            """, ct);
        await db.ExecuteAsync($"""
            INSERT INTO "Projects" ("Id", "CompanyId", "ExternalId", "Name", "ProjectTypeId", "PartnerPhaseName", "MilestonesEnabled", "Status", "CreatedAt", "UpdatedAt")
            {with}SELECT i, {companyId}, 'seed-case-' || i, 'No' || i || ' v. Northwind Insurance', 1, 'Intake', {False}, 'InProgress', {created}, {created} FROM {series}
            """, ct);
        await db.ExecuteAsync($"""
            INSERT INTO "ProjectClients" ("ProjectId", "ContactId", "Position")
            {with}SELECT i, i, 0 FROM {series}
            """, ct);
        if (pg)
        {
            foreach (var table in new[] { "ProjectTypes", "Contacts", "Projects" })
                await db.ExecuteAsync($"""SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), (SELECT MAX("Id") FROM "{table}"))""", ct);
            await db.ExecuteAsync("VACUUM ANALYZE", ct);
        }
        Log($"{db.Provider} mass: seeded {n:N0} clients, one project each, in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Polls until none of the mass message's deliveries is pending or leased; false when the timeout came first.</summary>
    static async Task<bool> WaitUntilSentAsync(BenchDatabase db, int massId, CasewireServer server, string what, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            await using (var c = db.NewContext())
            {
                var unsent = await c.OutboxItems.CountAsync(o => o.MassMessageId == massId
                    && (o.Status == Model.DeliveryStatus.Pending || o.Status == Model.DeliveryStatus.Sending), ct);
                if (unsent == 0) return true;
                if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
                {
                    lastReport = clock.Elapsed;
                    Log($"{what}: {unsent:N0} not sent yet after {clock.Elapsed.TotalSeconds:0} s");
                }
            }
            if (clock.Elapsed > timeout) return false;
            server.EnsureRunning();
            await Task.Delay(250, ct);
        }
    }

    /// <summary>Joins the sink file with the mass message's deliveries: how many appear once, more than once, not at all; first → last sentAt.</summary>
    static async Task<(int Once, int More, int Missing, double Seconds)> CheckSinkAsync(BenchDatabase db, string sinkPath, int massId, CancellationToken ct)
    {
        await using var c = db.NewContext();
        var ids = (await c.OutboxItems.Where(o => o.MassMessageId == massId).Select(o => o.Id).ToListAsync(ct)).ToHashSet();
        var lines = new Dictionary<long, int>();
        var times = new List<DateTimeOffset>();
        using (var reader = new StreamReader(new FileStream(sinkPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)))
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                using var json = JsonDocument.Parse(line);
                var id = json.RootElement.GetProperty("deliveryId").GetInt64();
                if (!ids.Contains(id)) continue;
                lines[id] = lines.GetValueOrDefault(id) + 1;
                times.Add(DateTimeOffset.Parse(json.RootElement.GetProperty("sentAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            }
        var seconds = times.Count < 2 ? 0 : (times.Max() - times.Min()).TotalSeconds;
        return (lines.Count(l => l.Value == 1), lines.Count(l => l.Value > 1), ids.Count(i => !lines.ContainsKey(i)), seconds);
    }

    public static string Section(IReadOnlyList<MassResult> results, BenchContext context, string? postgresVersion)
    {
        var s = new StringBuilder();
        s.AppendLine("## Mass message to 10,000 clients");
        s.AppendLine();
        s.AppendLine($"The real server with the sink providers, at its usual dispatcher settings. {context.Int("recipients", 10_000):N0} clients with a phone, one Personal Injury project each, written by SQL before the server starts; a one-client mass message first warms the path up. *Accept* = `POST /partner/v2/mass-messages` (filter `projectTypes: [\"Personal Injury\"]`) until its `202`: the audience resolved and the mass message, each recipient's message and outbox item written in one transaction. *Drain* = the first to the last `sentAt` the sink wrote for its deliveries. *Exactly once* = each of its deliveries appears once in the sink file (by `deliveryId`). Target: accepted in under {AcceptTarget.TotalSeconds:0} s.");
        s.AppendLine();
        s.AppendLine("| Database | Recipients | Accept (POST → 202) s | Drain s | Drain items/s | In the sink once / more than once / missing | Status after |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var name = DatabaseName(r.Database, postgresVersion);
            s.AppendLine($"| {name} | {N0(r.Recipients)} | **{F2(r.AcceptSeconds)}**{(r.AcceptedInTime ? "" : " ✗")} | {F1(r.DrainSeconds)} | {N0(r.ItemsPerSecond)} | {N0(r.SentOnce)} / {N0(r.SentTwiceOrMore)} / {N0(r.Missing)}{(r.Complete ? "" : " ✗")} | {r.Status} |");
            if (r.Error is not null) s.AppendLine($"| {name} | failed: {r.Error.ReplaceLineEndings(" ")} | | | | | |");
        }
        return s.ToString();
    }

    static void Log(string line) => DeliveryBenchmark.Log(line);
}
