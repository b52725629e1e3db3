using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Casewire.Bench;

/// <summary>
/// bench/RESULTS.md: a short note on how to run, then one section per benchmark between
/// <c>&lt;!-- name:begin --&gt;</c> and <c>&lt;!-- name:end --&gt;</c>. A run rewrites only its own section.
/// </summary>
static class ResultsFile
{
    const string Header = """
        # Benchmarks

        **How to run**: `bash bench/run.sh` from the repository root (≈ 25 minutes). One command: it builds
        Release, installs `wrk` with apt when it is missing, starts a throwaway PostgreSQL (scripts/pg.sh),
        runs each benchmark on SQLite and on PostgreSQL against the real server binary with the sink
        providers, stops every server and database it started (every phase has a timeout) and rewrites each
        benchmark's own section below: `delivery`, `reminders`, `load`, `scale`, `coldstart`. The 10-minute
        soak is separate: `bash bench/run.sh soak`. Some of them: `bash bench/run.sh load reminders`.
        Knobs: `BENCH_QUICK=1` (everything scaled down to a few minutes: a look, not numbers to keep),
        `BENCH_DATABASES=Sqlite` (skip PostgreSQL), `BENCH_ITEMS`, `BENCH_LATE_ITEMS`, `BENCH_REMINDERS`,
        `BENCH_WRK_SECONDS`, `BENCH_CONNECTIONS`, `BENCH_SCALE_ROWS` (e.g. `100000`), `BENCH_COLD_RUNS`,
        `BENCH_SOAK_MINUTES`, `BENCH_SOAK_RATE`; server settings pass through as environment variables,
        e.g. `Delivery__BatchSize=500 bash bench/run.sh delivery`.

        **Reading the numbers**: the machine these ran on has 2 cores and is shared: other engineers build
        and test on it at the same time, so absolute numbers move from run to run (each section gives the
        load average before and after). Compare ratios measured within one run — that is why the load
        benchmark reports every endpoint as a ratio to `GET /partner/v2/me` measured right before and after
        it — and compare runs made on the same machine.

        Each benchmark owns the text between its `<!-- name:begin -->` and `<!-- name:end -->` markers;
        a run rewrites only that.

        """;

    public static void WriteSection(string path, string name, string body)
    {
        var (begin, end) = ($"<!-- {name}:begin -->", $"<!-- {name}:end -->");
        var section = $"{begin}\n{body.TrimEnd()}\n{end}";
        var text = File.Exists(path) ? File.ReadAllText(path) : Header;
        var (from, to) = (text.IndexOf(begin, StringComparison.Ordinal), text.IndexOf(end, StringComparison.Ordinal));
        text = from >= 0 && to > from
            ? text[..from] + section + text[(to + end.Length)..]
            : text.TrimEnd() + "\n\n" + section + "\n";
        File.WriteAllText(path, text);
    }

    public static string DeliverySection(
        IReadOnlyList<DeliveryResult> results, BenchSettings settings, string command, string? postgresVersion, string loadBefore)
    {
        var ic = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine("## Delivery engine");
        s.AppendLine();
        s.AppendLine("The real server process (`src/Casewire/bin/Release/net10.0/casewire`) with the sink SMS provider writing its sink file; a fresh database and a fresh server process for every measurement.");
        s.AppendLine();
        s.AppendLine(ic, $"- **Drain**: {settings.DrainItems:N0} items due at once, seeded before the server starts. Drain items/s = sent / (max(SentAt) − min(SentAt)); second half = the last 50 % of the items / the time they took (JIT warmed up); wall = server process start → last SentAt; CPU = CPU time (user + system) from server ready to all sent, per item, of the Casewire process and, on PostgreSQL, of the database server's processes. The bench follows the run in the sink file and asks the database only every 2 s and at the end (until 5 December it counted the unsent rows every 250 ms, a read of every row that took PostgreSQL's CPU from the drain and was counted in its CPU per item).");
        s.AppendLine(ic, $"- **Lateness**: the server idles, then {settings.LatenessItems:N0} items are written in one transaction, due uniformly over [now+10 s, now+13 s]; lateness = SentAt − DueAt. *Fresh server*: this burst is the first work of a just-started server. *Warmed-up server*: it first delivered {settings.LatenessItems:N0} other items, then idled 3 s. On PostgreSQL the write is followed by `NOTIFY casewire_outbox`, as another Casewire instance would send; SQLite has no cross-process wake-up, but the first item is due ≥ 5 s after the write has ended (the run fails otherwise), so a dispatcher sleeping its 5 s idle cap still looks in time. (Until 5 December the items were due over [+5 s, +8 s] counted from the write's start: a 2 s write left the fresh server's first look to the phase of its idle checks, and the fresh-server figures of earlier runs measure that phase as much as the server.)");
        s.AppendLine("- Targets: drain ≥ 5,000 items/s on SQLite; lateness p99 ≤ 1,000 ms.");
        s.AppendLine();
        s.AppendLine("| Database | Items | Drain items/s | Drain, second half items/s | Wall s | CPU µs/item: server (+ PostgreSQL) | Lateness items | Lateness p50 / p99 / max ms, fresh server | Lateness p50 / p99 / max ms, warmed-up server |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var d = r.Drain;
            var name = r.Database != "Postgres" ? "SQLite" : postgresVersion is null ? "PostgreSQL" : $"PostgreSQL {postgresVersion}";
            string Cell(double? value, string format) => value is { } v ? v.ToString(format, ic) : "–";
            string Count(int items, int sent, bool complete) =>
                complete ? items.ToString("N0", ic) : $"{sent.ToString("N0", ic)} of {items.ToString("N0", ic)} sent (timeout or failures)";
            string Lateness(LatenessResult? l) => l is null ? "–"
                : $"{l.P50Ms.ToString("N0", ic)} / {l.P99Ms.ToString("N0", ic)} / {l.MaxMs.ToString("N0", ic)}{(l.Complete ? "" : $" (only {l.Sent.ToString("N0", ic)} sent: timeout or failures)")}";
            s.AppendLine(ic, $"| {name} | {(d is null ? "–" : Count(d.Items, d.Sent, d.Complete))} | {Cell(d?.ItemsPerSecond, "N0")} | {Cell(d?.SteadyItemsPerSecond, "N0")} | {Cell(d?.WallSeconds, "0.0")} | {Cell(d?.CpuMicrosecondsPerItem, "N0")}{(d?.DatabaseCpuMicrosecondsPerItem is { } dbCpu ? $" (+ {dbCpu.ToString("N0", ic)})" : "")} | {settings.LatenessItems.ToString("N0", ic)} | {Lateness(r.Cold)} | {Lateness(r.Warm)} |");
        }
        foreach (var r in results.Where(r => r.Error is not null))
            s.AppendLine(ic, $"\n{r.Database} failed: {r.Error}");
        s.AppendLine();
        s.Append(Footer(command, loadBefore));
        return s.ToString();
    }

    /// <summary>Date, command, machine, load and server settings: the last lines of every section.</summary>
    public static string Footer(string command, string loadBefore)
    {
        var ic = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(ic, $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine(ic, $"- Command: `{command}`");
        s.AppendLine(ic, $"- Machine: {Environment.ProcessorCount} cores (nproc), {CpuModel()}, {MemoryGiB():0.#} GiB RAM, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; shared with other engineers' builds and tests, so compare the ratios within one run rather than absolute numbers across runs");
        s.AppendLine(ic, $"- Load average (1/5/15 min) before → after: {loadBefore} → {LoadAverage()} (other work on the machine skews the numbers)");
        s.AppendLine(ic, $"- Server settings: {ServerOverrides()}");
        return s.ToString();
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>The <c>Delivery__*</c> variables this run passed on to the server, or the defaults.</summary>
    static string ServerOverrides()
    {
        var overrides = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("Delivery__", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(k => $"`{k}={Environment.GetEnvironmentVariable(k)}`")
            .ToList();
        return overrides.Count == 0 ? "defaults (Delivery:BatchSize 200, Delivery:MaxParallelSends 16)" : string.Join(", ", overrides);
    }

    static string CpuModel() =>
        ReadProc("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();

    static double MemoryGiB() =>
        ReadProc("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ')[0], out var value) ? value / 1024.0 / 1024.0 : 0;

    static string? ReadProc(string file, string key)
    {
        if (!File.Exists(file)) return null;
        return File.ReadLines(file)
            .Where(line => line.StartsWith(key, StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':') + 1)..].Trim())
            .FirstOrDefault();
    }
}
