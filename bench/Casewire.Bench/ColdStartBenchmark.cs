using System.Text;
using static Casewire.Bench.Stats;

namespace Casewire.Bench;

sealed record ColdStartCase(string Case, List<double> Seconds)
{
    public double Median => Stats.Median(Seconds);
}

sealed record ColdStartResult(string Database, List<ColdStartCase> Cases, string? Error);

/// <summary>
/// Process start → first <c>/health/ready</c> 200 (asked every 10 ms), several runs, median. A fresh
/// database is created and migrated by the server itself; an existing one was migrated by an
/// earlier start and only checked. One unmeasured start first, so the binary is in the page cache.
/// </summary>
sealed class ColdStartBenchmark(BenchContext context)
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    public async Task<ColdStartResult> RunAsync(string provider, CancellationToken ct)
    {
        var runs = context.Int("runs", 5);
        var cases = new List<ColdStartCase>();
        try
        {
            var fresh = new List<double>();
            for (var i = 0; i <= runs; i++)
            {
                await using var db = await BenchDatabase.CreateAsync(provider, $"cold{i}", context.WorkDir, context.PostgresAdmin);
                await using var server = await context.StartServerAsync(db, $"{provider}-cold-fresh-{i}", ct, Poll);
                if (i > 0) fresh.Add(server.StartupTime.TotalSeconds); // run 0 only warms the page cache
            }
            cases.Add(new ColdStartCase("fresh database (migrations create the schema)", fresh));

            var existing = new List<double>();
            await using (var db = await BenchDatabase.CreateAsync(provider, "cold-existing", context.WorkDir, context.PostgresAdmin))
            {
                await (await context.StartServerAsync(db, $"{provider}-cold-existing-0", ct, Poll)).DisposeAsync(); // creates it
                for (var i = 1; i <= runs; i++)
                {
                    await using var server = await context.StartServerAsync(db, $"{provider}-cold-existing-{i}", ct, Poll);
                    existing.Add(server.StartupTime.TotalSeconds);
                }
            }
            cases.Add(new ColdStartCase("existing database", existing));
            foreach (var c in cases)
                DeliveryBenchmark.Log($"{provider} cold start, {c.Case}: median {c.Median:0.00} s ({string.Join(", ", c.Seconds.Select(x => x.ToString("0.00")))})");
            return new ColdStartResult(provider, cases, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            DeliveryBenchmark.Log($"{provider} cold start: FAILED: {e.Message}");
            return new ColdStartResult(provider, cases, e.Message);
        }
    }

    public static string Section(IReadOnlyList<ColdStartResult> results, BenchContext context, string? postgresVersion)
    {
        var s = new StringBuilder();
        s.AppendLine("## Cold start");
        s.AppendLine();
        s.AppendLine($"Time from starting the server process (`src/Casewire/bin/Release/net10.0/casewire`, framework-dependent, JIT) to the first `200` of `/health/ready` (which queries the database), polled every 10 ms; {context.Int("runs", 5)} runs per case after one unmeasured start; median and the individual runs. *Fresh*: a new empty database each run (the server applies every migration). *Existing*: a database an earlier start created.");
        s.AppendLine();
        s.AppendLine("| Database | Case | Median s | Runs s |");
        s.AppendLine("|---|---|---:|---|");
        foreach (var r in results)
        {
            var name = DatabaseName(r.Database, postgresVersion);
            foreach (var c in r.Cases)
                s.AppendLine($"| {name} | {c.Case} | **{F2(c.Median)}** | {string.Join(", ", c.Seconds.Select(F2))} |");
            if (r.Error is not null) s.AppendLine($"| {name} | failed: {r.Error.ReplaceLineEndings(" ")} | | |");
        }
        return s.ToString();
    }
}
