using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using static Casewire.Bench.Stats;

namespace Casewire.Bench;

/// <summary>Lateness of one burst of reminder deliveries: sink write (sentAt) − the outbox item's DueAt.</summary>
sealed record ReminderBurst(string Shape, int Deliveries, int Written, double P50Ms, double P99Ms, double MaxMs)
{
    public bool Complete => Written == Deliveries;
}

sealed record ReminderResult(
    string Database, int Events, double CreateSeconds, double EventsPerSecond, double CreateP99Ms, List<ReminderBurst> Bursts, string? Error);

/// <summary>
/// Reminder precision (SPEC §5, §7) end to end. Events are created through
/// <c>POST /partner/v2/calendar-event</c> on the real server, each with two attendees (contacts with a
/// phone: SMS) and two team members (email) and a one-hour reminder, so that every reminder delivery
/// of a burst is due within one minute: *spread* — due times uniform over the minute; *08:00:00* —
/// all due at the same instant (hearings at 9:00 with a one-hour reminder). Lateness = the sink file's
/// <c>sentAt</c> of the delivery − its <c>DueAt</c>.
/// </summary>
sealed class ReminderBenchmark(BenchContext context)
{
    public async Task<ReminderResult> RunAsync(string provider, CancellationToken ct)
    {
        var deliveries = context.Int("reminders", 10_000);
        var events = deliveries / PerEvent; // each reminder goes to two attendees (SMS) and two team members (email)
        var (db, _, token) = await context.NewDatabaseAsync(provider, "reminders", ct);
        await using var _db = db;
        await using var server = await context.StartServerAsync(db, $"{provider}-reminders", ct);
        try
        {
            using var client = new PartnerClient(server.BaseUri, token);
            const int contacts = 1000, projects = 100, members = 20;
            await client.SeedPoolsAsync(contacts, projects, ct);
            await PartnerClient.ForEachAsync(members, 4, (n, t) => client.SendAsync(HttpMethod.Put, "partner/v2/team-members",
                new { externalId = $"staff-{n}", firstName = "Paralegal", lastName = $"No{n}", email = $"staff{n}@firm.example" }, t), ct);

            // Warm-up, as a server that has been running: 300 events whose reminders go out within a minute
            // (the dispatcher's SMS and email paths run once), and the create rate that plans the bursts.
            // The rate is taken from a second batch: the first runs while the JIT still compiles and is far slower.
            var warmUp = 300;
            var warmStart = DateTimeOffset.UtcNow.AddSeconds(90);
            await CreateAsync(client, warmUp, "warm", i => warmStart, contacts, projects, members, ct);
            var warmStart2 = DateTimeOffset.UtcNow.AddSeconds(90);
            var rate = await CreateAsync(client, warmUp, "warm2", i => warmStart2, contacts, projects, members, ct);
            Log($"{provider} reminders: warm-up: {2 * warmUp} events, then {rate.PerSecond:N0}/s");

            // Both bursts fall due after all events exist: the first whole minute after 1.5 × the expected
            // creation time (+20 s), the second two minutes later.
            var expected = TimeSpan.FromSeconds(2.0 * events / rate.PerSecond);
            if (expected > TimeSpan.FromMinutes(8))
                throw new InvalidOperationException($"at {rate.PerSecond:N0} events/s creating {2 * events:N0} events would take {expected.TotalMinutes:0} min; lower --reminders");
            var spreadFrom = NextMinute(DateTimeOffset.UtcNow + expected * 1.5 + TimeSpan.FromSeconds(20));
            var atOnce = spreadFrom.AddMinutes(2);
            Log($"{provider} reminders: creating {2 * events:N0} events; bursts due in [{spreadFrom:HH:mm:ss}, +60 s) and at {atOnce:HH:mm:ss}");
            var hour = TimeSpan.FromHours(1);
            var spread = await CreateAsync(client, events, "spread",
                i => spreadFrom + hour + TimeSpan.FromMilliseconds(60_000.0 * (i - 1) / events), contacts, projects, members, ct);
            var burst = await CreateAsync(client, events, "0800", i => atOnce + hour, contacts, projects, members, ct);
            var createSeconds = spread.Seconds + burst.Seconds;
            var createP99 = Math.Max(spread.P99Ms, burst.P99Ms);
            Log($"{provider} reminders: created {2 * events:N0} events in {createSeconds:0.0} s ({2 * events / createSeconds:N0}/s, p99 {createP99:N0} ms)");
            if (DateTimeOffset.UtcNow > spreadFrom - TimeSpan.FromSeconds(5))
                throw new InvalidOperationException("creating the events ran into the first burst's minute; lower --reminders");

            // Wait for both bursts to go out (or a minute past the second), then join the sink with the outbox.
            var until = atOnce + TimeSpan.FromSeconds(60);
            while (DateTimeOffset.UtcNow < until)
            {
                server.EnsureRunning();
                if (DateTimeOffset.UtcNow > atOnce && await CountUnsentDueBeforeAsync(db, atOnce.AddSeconds(1), ct) == 0) break;
                await Task.Delay(1000, ct);
            }
            await Task.Delay(500, ct);
            var sink = server.SentAtByDelivery();
            var bursts = new List<ReminderBurst>
            {
                await BurstAsync(db, sink, "spread over one minute", spreadFrom, spreadFrom.AddMinutes(1), ct),
                await BurstAsync(db, sink, "all at one instant (08:00:00)", atOnce, atOnce.AddMilliseconds(1), ct),
            };
            foreach (var b in bursts)
                Log($"{provider} reminders: {b.Shape}: {b.Written:N0} of {b.Deliveries:N0} written; lateness p50 {b.P50Ms:N0} ms, p99 {b.P99Ms:N0} ms, max {b.MaxMs:N0} ms");
            return new ReminderResult(provider, 2 * events, createSeconds, 2 * events / createSeconds, createP99, bursts,
                bursts.All(b => b.Complete) ? null : "not every reminder was written to the sink in time");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log($"{provider} reminders: FAILED: {e.Message}");
            return new ReminderResult(provider, 0, 0, 0, 0, [], e.Message);
        }
    }

    /// <summary>Deliveries per reminder: two attendees (clients with phones: SMS) and two team members (email).</summary>
    const int PerEvent = 4;

    sealed record CreateRate(double Seconds, double PerSecond, double P99Ms);

    /// <summary>
    /// Creates <paramref name="count"/> events on 8 connections; event i starts at <paramref name="start"/>(i)
    /// and has a one-hour reminder (a minute one for the warm-up), two attendees and two team members.
    /// </summary>
    static async Task<CreateRate> CreateAsync(
        PartnerClient client, int count, string prefix, Func<int, DateTimeOffset> start, int contacts, int projects, int members, CancellationToken ct)
    {
        var latencies = new double[count];
        var clock = Stopwatch.StartNew();
        await PartnerClient.ForEachAsync(count, 8, async (i, t) =>
        {
            var one = Stopwatch.StartNew();
            var warm = prefix.StartsWith("warm", StringComparison.Ordinal);
            var response = await client.PostAsync("partner/v2/calendar-event", new
            {
                id = $"{prefix}-{i}",
                projectId = $"seed-case-{i % projects + 1}",
                title = "Hearing: motion to compel",
                startTime = start(i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                location = "County Courthouse, Room 4B",
                attendees = new[] { $"seed-contact-{i % contacts + 1}", $"seed-contact-{(i + contacts / 2) % contacts + 1}" },
                teamMembers = new[] { $"staff-{i % members + 1}", $"staff-{(i + members / 2) % members + 1}" },
                reminders = new[] { warm ? new { unit = "minute", amount = 1 } : new { unit = "hour", amount = 1 } },
            }, t);
            latencies[i - 1] = one.Elapsed.TotalMilliseconds;
            var status = response.GetProperty("reminders")[0].GetProperty("status").GetString();
            if (status != "scheduled") throw new InvalidOperationException($"event {prefix}-{i}: reminder {status}: {response}");
        }, ct);
        var seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new CreateRate(seconds, count / seconds, Percentile(latencies, 0.99));
    }

    static DateTimeOffset NextMinute(DateTimeOffset t) =>
        new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero).AddMinutes(1);

    static async Task<int> CountUnsentDueBeforeAsync(BenchDatabase db, DateTimeOffset before, CancellationToken ct)
    {
        await using var c = db.NewContext();
        return await c.OutboxItems.CountAsync(o => (o.Status == Model.DeliveryStatus.Pending || o.Status == Model.DeliveryStatus.Sending) && o.DueAt < before, ct);
    }

    static async Task<ReminderBurst> BurstAsync(
        BenchDatabase db, Dictionary<long, DateTimeOffset> sink, string shape, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var c = db.NewContext();
        var due = await c.OutboxItems.AsNoTracking().Where(o => o.DueAt >= from && o.DueAt < to)
            .Select(o => new { o.Id, o.DueAt }).ToListAsync(ct);
        var lateness = due.Where(d => sink.ContainsKey(d.Id)).Select(d => (sink[d.Id] - d.DueAt).TotalMilliseconds).Order().ToList();
        if (lateness.Count == 0) return new ReminderBurst(shape, due.Count, 0, double.NaN, double.NaN, double.NaN);
        return new ReminderBurst(shape, due.Count, lateness.Count, Percentile(lateness, 0.5), Percentile(lateness, 0.99), lateness[^1]);
    }

    public static string Section(IReadOnlyList<ReminderResult> results, BenchContext context, string? postgresVersion)
    {
        var s = new StringBuilder();
        s.AppendLine("## Reminder precision");
        s.AppendLine();
        s.AppendLine($"The real server with the sink providers. Events are created through `POST /partner/v2/calendar-event` (8 connections), each with two attendees (clients with phones: SMS), two team members (email) and a one-hour reminder, so every reminder is four deliveries. Two bursts of {context.Int("reminders", 10_000):N0} deliveries each: *spread* — due times uniform over one minute; *08:00:00* — all due at the same instant, as when every hearing starts at 9:00 with a one-hour reminder. Before them the server was warmed up as one that has been running (600 events whose reminders went out within a minute). Lateness = the sink file's `sentAt` of each delivery (the moment the sink wrote it) − its `DueAt`. Target: p99 ≤ 1,000 ms.");
        s.AppendLine();
        s.AppendLine("| Database | Burst | Deliveries | Written to the sink | Lateness p50 ms | p99 ms | max ms | Events created | Create rate | Create p99 |");
        s.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var name = DatabaseName(r.Database, postgresVersion);
            foreach (var b in r.Bursts)
                s.AppendLine($"| {name} | {b.Shape} | {N0(b.Deliveries)} | {N0(b.Written)} | {N0(b.P50Ms)} | **{N0(b.P99Ms)}**{(b.P99Ms <= 1000 ? "" : " ✗")} | {N0(b.MaxMs)} | {N0(r.Events)} | {N0(r.EventsPerSecond)}/s | {N0(r.CreateP99Ms)} ms |");
            if (r.Error is not null) s.AppendLine($"| {name} | failed: {r.Error.ReplaceLineEndings(" ")} | | | | | | | | |");
        }
        return s.ToString();
    }

    static void Log(string line) => DeliveryBenchmark.Log(line);
}
