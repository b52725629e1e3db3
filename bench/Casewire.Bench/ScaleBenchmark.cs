using System.Diagnostics;
using System.Text;
using static Casewire.Bench.Stats;

namespace Casewire.Bench;

/// <summary>One database size: its seed time, the server's start, memory and GET contact latency.</summary>
sealed record ScaleRun(
    int Contacts, int Reminders, double SeedSeconds, double StartSeconds, double RssMiB, double PeakRssMiB, WrkResult Get, WrkResult Put);

sealed record ScaleResult(string Database, ScaleRun? Small, ScaleRun? Large, string? Error)
{
    public double? P99Ratio => Small is null || Large is null ? null : Large.Get.P99Ms / Small.Get.P99Ms;
}

/// <summary>
/// Scale: the server's resident memory with 1,000,000 contacts and 1,000,000 pending reminders
/// (bulk-seeded: <see cref="ScaleSeed"/>), and GET contacts/{externalId} p99 against the same server
/// on a database of 1,000 contacts. Each size gets a fresh server and the same traffic: wrk GET of
/// random contacts (warm-up, then measured), PUT of new contacts, then an idle settle before VmRSS is read.
/// </summary>
sealed class ScaleBenchmark(BenchContext context)
{
    public async Task<ScaleResult> RunAsync(string provider, CancellationToken ct)
    {
        var rows = context.Int("rows", 1_000_000);
        ScaleRun? small = null, large = null;
        try
        {
            small = await RunAsync(provider, 1_000, 0, ct);
            large = await RunAsync(provider, rows, rows, ct);
            return new ScaleResult(provider, small, large, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            DeliveryBenchmark.Log($"{provider} scale: FAILED: {e.Message}");
            return new ScaleResult(provider, small, large, e.Message);
        }
    }

    async Task<ScaleRun> RunAsync(string provider, int contacts, int reminders, CancellationToken ct)
    {
        var what = $"{provider} scale ({contacts:N0} contacts, {reminders:N0} reminders)";
        var (db, companyId, token) = await context.NewDatabaseAsync(provider, $"scale{contacts}", ct);
        await using var _db = db;
        var seed = Stopwatch.StartNew();
        await ScaleSeed.SeedAsync(db, companyId, contacts, reminders, ct);
        var seedSeconds = seed.Elapsed.TotalSeconds;
        DeliveryBenchmark.Log($"{what}: seeded in {seedSeconds:0.0} s; starting the server");

        await using var server = await context.StartServerAsync(db, $"{provider}-scale-{contacts}", ct);
        var wrk = new Wrk(context.ScriptsDir, context.Int("connections", 8));
        var env = new Dictionary<string, string>
        {
            ["BENCH_TOKEN"] = token, ["BENCH_RUN"] = "scale", ["BENCH_CONTACTS"] = contacts.ToString(),
        };
        var seconds = TimeSpan.FromSeconds(context.Int("wrk-seconds", 10));
        await wrk.RunAsync(server, "get-contact.lua", TimeSpan.FromSeconds(context.Int("wrk-warmup-seconds", 5)), env, ct);
        var get = await wrk.RunAsync(server, "get-contact.lua", seconds, env, ct);
        var put = await wrk.RunAsync(server, "put-contacts.lua", TimeSpan.FromSeconds(5), env, ct);
        if (get.Errors > 0 || put.Errors > 0)
            throw new InvalidOperationException($"{get.Errors + put.Errors} requests failed (non-2xx or socket errors); see {server.LogPath}");
        await Task.Delay(TimeSpan.FromSeconds(context.Int("settle-seconds", 15)), ct); // the GC settles; the dispatcher idles
        var rss = server.ResidentMiB();
        var peak = server.PeakResidentMiB();
        DeliveryBenchmark.Log($"{what}: GET contact {get.RequestsPerSecond:N0} req/s p99 {get.P99Ms:0.0} ms; PUT contact {put.RequestsPerSecond:N0} req/s; " +
                              $"RSS {rss:N0} MiB (peak {peak:N0} MiB); started in {server.StartupTime.TotalSeconds:0.00} s");
        return new ScaleRun(contacts, reminders, seedSeconds, server.StartupTime.TotalSeconds, rss, peak, get, put);
    }

    public static string Section(IReadOnlyList<ScaleResult> results, BenchContext context, string? postgresVersion)
    {
        var rows = context.Int("rows", 1_000_000);
        var s = new StringBuilder();
        s.AppendLine("## Memory and lookups at scale");
        s.AppendLine();
        s.AppendLine($"**Bulk path, not the API**: {rows:N0} contacts and {rows:N0} pending reminders are written by SQL into the server's database before it starts (`bench/Casewire.Bench/ScaleSeed.cs`: one `INSERT … SELECT` per table over a generated series; PostgreSQL then gets the `VACUUM ANALYZE` autovacuum would do). The rows are those the API writes: {rows / ScaleSeed.RemindersPerEvent:N0} calendar events 30–365 days ahead, each in its own project with its attendee as client and ten reminders 1–10 days before it; each reminder a message and a pending SMS outbox item due at its time. Why: through the API at the few hundred to two thousand writes per second measured above, two million creates would take 20–60 minutes per database; the bulk path takes seconds to a couple of minutes and the server sees the same tables and indexes.");
        s.AppendLine();
        s.AppendLine($"Each size gets a fresh server and the same traffic: wrk GET `/partner/v2/contacts/{{externalId}}` of random seeded contacts ({context.Int("wrk-warmup-seconds", 5)} s warm-up, then {context.Int("wrk-seconds", 10)} s measured, {context.Int("connections", 8)} connections), 5 s of PUT new contacts, then {context.Int("settle-seconds", 15)} s idle before the server's `VmRSS` (and `VmHWM`, the peak) is read from /proc. The baseline is a database with 1,000 contacts and nothing else. Targets: RSS ≤ 300 MB at {rows:N0} rows; GET p99 within 2× of the baseline's.");
        s.AppendLine();
        s.AppendLine("| Database | Rows (contacts / pending reminders) | Seed s | Server start s | RSS MiB (peak) | GET contact req/s | GET p50 ms | GET p99 ms | p99 ÷ baseline p99 | PUT contact req/s |");
        s.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var name = DatabaseName(r.Database, postgresVersion);
            foreach (var run in new[] { r.Small, r.Large })
            {
                if (run is null) continue;
                var isLarge = ReferenceEquals(run, r.Large);
                var ratio = isLarge && r.P99Ratio is { } x ? $"**{F2(x)}**{(x <= 2 ? "" : " ✗")}" : "1 (baseline)";
                var rss = isLarge ? $"**{N0(run.RssMiB)}**{(run.RssMiB * 1.048576 <= 300 ? "" : " ✗")} ({N0(run.PeakRssMiB)})" : $"{N0(run.RssMiB)} ({N0(run.PeakRssMiB)})";
                s.AppendLine($"| {name} | {N0(run.Contacts)} / {N0(run.Reminders)} | {F1(run.SeedSeconds)} | {F2(run.StartSeconds)} | {rss} | {N0(run.Get.RequestsPerSecond)} | {F1(run.Get.P50Ms)} | {F1(run.Get.P99Ms)} | {ratio} | {N0(run.Put.RequestsPerSecond)} |");
            }
            if (r.Error is not null) s.AppendLine($"| {name} | failed: {r.Error.ReplaceLineEndings(" ")} | | | | | | | | |");
        }
        s.AppendLine();
        s.AppendLine("MiB = 2^20 bytes (300 MB = 286 MiB).");
        return s.ToString();
    }
}
