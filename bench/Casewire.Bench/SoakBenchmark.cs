using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using static Casewire.Bench.Stats;

namespace Casewire.Bench;

/// <summary>One minute of the soak: the traffic's numbers, the server's memory and what the dispatcher did.</summary>
sealed record SoakMinute(int Minute, WrkResult Traffic, double RssMiB, int Backlog, int Delivered, double? DeliveryP99Ms);

sealed record SoakResult(string Database, int Rate, List<SoakMinute> Minutes, string? Error);

/// <summary>
/// Soak: ten minutes of mixed Partner API traffic (bench/wrk/mix.lua, paced) against one
/// server whose dispatcher sends what the traffic queues: texts of send-message, welcomes of new
/// cases, reminders of new events falling due a minute later. Each minute is its own wrk run, so
/// the first and the last can be set side by side: latency, RSS, backlog and delivery lateness.
/// </summary>
sealed class SoakBenchmark(BenchContext context)
{
    public async Task<SoakResult> RunAsync(string provider, CancellationToken ct)
    {
        var minutes = context.Int("minutes", 10);
        var rate = context.Int("rate", 150);
        var (contacts, projects) = (context.Int("pool-contacts", 1000), context.Int("pool-projects", 200));
        var (db, _, token) = await context.NewDatabaseAsync(provider, "soak", ct);
        await using var _db = db;
        await using var server = await context.StartServerAsync(db, $"{provider}-soak", ct);
        var list = new List<SoakMinute>();
        try
        {
            using (var client = new PartnerClient(server.BaseUri, token))
                await client.SeedPoolsAsync(contacts, projects, ct);
            var wrk = new Wrk(context.ScriptsDir, context.Int("connections", 8));
            Dictionary<string, string> Env(string run) => new()
            {
                ["BENCH_TOKEN"] = token, ["BENCH_RUN"] = run, ["BENCH_RATE"] = rate.ToString(CultureInfo.InvariantCulture),
                ["BENCH_CONTACTS"] = contacts.ToString(CultureInfo.InvariantCulture), ["BENCH_PROJECTS"] = projects.ToString(CultureInfo.InvariantCulture),
            };
            await wrk.RunAsync(server, "mix.lua", TimeSpan.FromSeconds(10), Env("warm"), ct);
            var minuteStarts = new List<DateTimeOffset>();
            for (var m = 1; m <= minutes; m++)
            {
                minuteStarts.Add(DateTimeOffset.UtcNow);
                var traffic = await wrk.RunAsync(server, "mix.lua", TimeSpan.FromSeconds(60), Env($"m{m}"), ct);
                var backlog = await CountDueUnsentAsync(db, ct);
                var rss = server.ResidentMiB();
                list.Add(new SoakMinute(m, traffic, rss, backlog, 0, null));
                DeliveryBenchmark.Log($"{provider} soak minute {m}: {traffic.RequestsPerSecond:N0} req/s, p50 {traffic.P50Ms:0.0} ms, p99 {traffic.P99Ms:0.0} ms, " +
                                      $"{traffic.Errors} errors; RSS {rss:N0} MiB; {backlog:N0} due items not yet sent");
            }
            minuteStarts.Add(DateTimeOffset.UtcNow);
            await Task.Delay(2000, ct);
            // Delivery lateness per minute: the sink's sentAt of each delivery − its DueAt.
            var sent = server.SentAtByDelivery();
            await using var c = db.NewContext();
            var due = (await c.OutboxItems.AsNoTracking().Select(o => new { o.Id, o.DueAt }).ToListAsync(ct)).ToDictionary(o => o.Id, o => o.DueAt);
            for (var i = 0; i < list.Count; i++)
            {
                var (from, to) = (minuteStarts[i], minuteStarts[i + 1]);
                var late = sent.Where(s => s.Value >= from && s.Value < to && due.ContainsKey(s.Key))
                    .Select(s => (s.Value - due[s.Key]).TotalMilliseconds).Order().ToList();
                list[i] = list[i] with { Delivered = late.Count, DeliveryP99Ms = late.Count == 0 ? null : Percentile(late, 0.99) };
            }
            var errors = list.Sum(m => m.Traffic.Errors);
            return new SoakResult(provider, rate, list, errors == 0 ? null : $"{errors} requests failed (non-2xx or socket errors)");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            DeliveryBenchmark.Log($"{provider} soak: FAILED: {e.Message}");
            return new SoakResult(provider, rate, list, e.Message);
        }
    }

    static async Task<int> CountDueUnsentAsync(BenchDatabase db, CancellationToken ct)
    {
        await using var c = db.NewContext();
        var now = DateTimeOffset.UtcNow;
        return await c.OutboxItems.CountAsync(o => (o.Status == Model.DeliveryStatus.Pending && o.AvailableAt <= now) || o.Status == Model.DeliveryStatus.Sending, ct);
    }

    public static string Section(IReadOnlyList<SoakResult> results, BenchContext context, string? postgresVersion)
    {
        var s = new StringBuilder();
        s.AppendLine("## Soak");
        s.AppendLine();
        s.AppendLine($"`bash bench/run.sh soak` (not part of the default run: it takes {context.Int("minutes", 10)} minutes per database). One server, rate limit off, dispatcher on with the sink providers. wrk runs `bench/wrk/mix.lua` paced to {context.Int("rate", 150)} requests/s on {context.Int("connections", 8)} connections (the Lua `delay()`), one wrk run per minute: 20 % PUT new contacts, 15 % PUT existing contacts, 10 % PUT new cases (milestones on: a welcome text per client), 15 % send-message, 5 % calendar events (a reminder due a minute later and one a day ahead), 25 % GET contact, 10 % GET me. The database grows all along (nothing is deleted). Per minute: the traffic's latency, the server's RSS at the minute's end, the due outbox items not yet sent then, and the lateness (sink `sentAt` − `DueAt`) of what was delivered in that minute.");
        s.AppendLine();
        foreach (var r in results)
        {
            var name = DatabaseName(r.Database, postgresVersion);
            if (r.Minutes.Count >= 2)
            {
                var (first, last) = (r.Minutes[0], r.Minutes[^1]);
                s.AppendLine($"**{name}: first and last minute side by side**");
                s.AppendLine();
                s.AppendLine("| | req/s | p50 ms | p99 ms | max ms | errors | RSS MiB | due, unsent at the end | delivered | delivery lateness p99 ms |");
                s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                foreach (var m in new[] { first, last })
                    s.AppendLine($"| minute {m.Minute} | {N0(m.Traffic.RequestsPerSecond)} | {F1(m.Traffic.P50Ms)} | {F1(m.Traffic.P99Ms)} | {F1(m.Traffic.MaxUs / 1000.0)} | {N0(m.Traffic.Errors)} | {N0(m.RssMiB)} | {N0(m.Backlog)} | {N0(m.Delivered)} | {(m.DeliveryP99Ms is { } d ? N0(d) : "–")} |");
                s.AppendLine($"| last ÷ first | {F2(last.Traffic.RequestsPerSecond / first.Traffic.RequestsPerSecond)} | {F2(last.Traffic.P50Ms / first.Traffic.P50Ms)} | {F2(last.Traffic.P99Ms / first.Traffic.P99Ms)} | | | {F2(last.RssMiB / first.RssMiB)} | | | |");
                s.AppendLine();
                s.AppendLine($"Every minute ({name}): " + string.Join("; ", r.Minutes.Select(m =>
                    $"{m.Minute}: p99 {F1(m.Traffic.P99Ms)} ms, RSS {N0(m.RssMiB)} MiB")));
                s.AppendLine();
            }
            if (r.Error is not null) s.AppendLine($"{name}: {r.Error}\n");
        }
        return s.ToString();
    }
}
