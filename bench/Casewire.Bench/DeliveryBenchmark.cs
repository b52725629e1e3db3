using System.Diagnostics;

namespace Casewire.Bench;

sealed record BenchSettings(
    string ServerBinary,
    string WorkDir,
    string? PostgresAdmin,
    int DrainItems,
    int LatenessItems,
    TimeSpan DrainTimeout,
    TimeSpan LatenessTimeout);

/// <summary>
/// Drain: all items due at once, before the server starts. Rate = sent / (max SentAt − min SentAt);
/// steady = the second half of the items / the time they took (the JIT has warmed up by then).
/// </summary>
sealed record DrainResult(
    int Items, int Sent, double SeedSeconds, double ReadySeconds, double ItemsPerSecond, double SteadyItemsPerSecond,
    double WallSeconds, double CpuMicrosecondsPerItem, double? DatabaseCpuMicrosecondsPerItem, int Attempts, bool Complete);

/// <summary>
/// Lateness: items due over a few seconds, written while the server idles. Lateness = SentAt − DueAt.
/// Cold: the burst is the server's first work. Warm: it delivered <see cref="WarmUpItems"/> items first.
/// </summary>
sealed record LatenessResult(
    int Items, int Sent, int WarmUpItems, double InsertSeconds, double P50Ms, double P99Ms, double MaxMs, bool Complete);

sealed record DeliveryResult(string Database, DrainResult? Drain, LatenessResult? Cold, LatenessResult? Warm, string? Error)
{
    public bool Complete => Error is null && Drain?.Complete == true && Cold?.Complete == true && Warm?.Complete == true;
}

/// <summary>SPEC §7's delivery engine measured against the real server process with the sink provider.</summary>
sealed class DeliveryBenchmark(BenchSettings settings)
{
    static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    static readonly TimeSpan DatabasePoll = TimeSpan.FromSeconds(2);

    /// <summary>The server's idle cap (<c>Delivery:MaxIdle</c>, default 5 s): how long a dispatcher with nothing due sleeps.</summary>
    static readonly TimeSpan IdleCap = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How far ahead of the write the lateness items start to be due: the idle cap after the write has ended (SQLite has
    /// no cross-process wake-up) with room for a write of up to 5 s.
    /// </summary>
    static readonly TimeSpan Ahead = IdleCap + TimeSpan.FromSeconds(5);

    public async Task<DeliveryResult> RunAsync(string provider, CancellationToken ct)
    {
        DrainResult? drain = null;
        LatenessResult? cold = null, warm = null;
        try
        {
            drain = await DrainAsync(provider, ct);
            cold = await LatenessAsync(provider, warmUpItems: 0, ct);
            warm = await LatenessAsync(provider, warmUpItems: settings.LatenessItems, ct);
            return new DeliveryResult(provider, drain, cold, warm, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log($"{provider}: FAILED: {e.Message}");
            return new DeliveryResult(provider, drain, cold, warm, e.Message);
        }
    }

    /// <summary>
    /// Seeds <see cref="BenchSettings.DrainItems"/> items, all due now, into a fresh database, then
    /// starts the server and waits until its dispatcher has sent them all.
    /// </summary>
    async Task<DrainResult> DrainAsync(string provider, CancellationToken ct)
    {
        var n = settings.DrainItems;
        await using var db = await BenchDatabase.CreateAsync(provider, "drain", settings.WorkDir, settings.PostgresAdmin);
        var companyId = await db.PrepareAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var seed = Stopwatch.StartNew();
        await db.SeedAsync(companyId, n, _ => now, batchSize: 5_000, ct);
        Log($"{provider} drain: seeded {n:N0} due items in {seed.Elapsed.TotalSeconds:0.0} s; starting the server");

        DateTimeOffset startedAt, readyAt;
        bool complete;
        TimeSpan cpu;
        TimeSpan? databaseCpu;
        await using (var server = await CasewireServer.StartAsync(settings.ServerBinary, db, settings.WorkDir, $"{provider}-drain", ReadyTimeout, ct))
        {
            (startedAt, readyAt) = (server.StartedAt, server.ReadyAt);
            var (cpuAtReady, databaseCpuAtReady) = (server.CpuTime, await db.ServerCpuTimeAsync(ct));
            complete = await WaitUntilAllSentAsync(db, server, n, settings.DrainTimeout, $"{provider} drain", ct);
            cpu = server.CpuTime - cpuAtReady;
            databaseCpu = await db.ServerCpuTimeAsync(ct) - databaseCpuAtReady;
        }

        var sent = (await db.ReadTimesAsync(ct)).Where(t => t.SentAt is not null).Select(t => t.SentAt!.Value).Order().ToList();
        if (sent.Count < 4) throw new InvalidOperationException($"only {sent.Count} of {n} items were sent");
        var (first, middle, last) = (sent[0], sent[sent.Count / 2], sent[^1]);
        var result = new DrainResult(
            n, sent.Count, seed.Elapsed.TotalSeconds, (readyAt - startedAt).TotalSeconds,
            ItemsPerSecond: sent.Count / (last - first).TotalSeconds,
            SteadyItemsPerSecond: (sent.Count - sent.Count / 2) / (last - middle).TotalSeconds,
            WallSeconds: (last - startedAt).TotalSeconds,
            CpuMicrosecondsPerItem: cpu.TotalMicroseconds / sent.Count,
            DatabaseCpuMicrosecondsPerItem: databaseCpu?.TotalMicroseconds / sent.Count,
            Attempts: await db.CountAttemptsAsync(ct),
            Complete: complete && sent.Count == n); // none pending, none failed
        Log($"{provider} drain: {result.Sent:N0} sent, {result.ItemsPerSecond:N0} items/s (first→last SentAt; second half {result.SteadyItemsPerSecond:N0}/s), " +
            $"{result.WallSeconds:0.0} s from server start (ready after {result.ReadySeconds:0.0} s); " +
            $"{result.Attempts:N0} attempts; " +
            $"CPU per item: server {result.CpuMicrosecondsPerItem:N0} µs" +
            (result.DatabaseCpuMicrosecondsPerItem is { } dbCpu ? $", PostgreSQL {dbCpu:N0} µs" : ""));
        return result;
    }

    /// <summary>
    /// Starts the server on an empty database (and lets it deliver <paramref name="warmUpItems"/> items
    /// due at once, to warm it up), lets it idle, then writes <see cref="BenchSettings.LatenessItems"/>
    /// items due uniformly over [now+10 s, now+13 s] in one transaction and measures how late each left.
    /// </summary>
    async Task<LatenessResult> LatenessAsync(string provider, int warmUpItems, CancellationToken ct)
    {
        var n = settings.LatenessItems;
        var what = $"{provider} lateness ({(warmUpItems > 0 ? "warm" : "cold")})";
        await using var db = await BenchDatabase.CreateAsync(provider, "lateness", settings.WorkDir, settings.PostgresAdmin);
        var companyId = await db.PrepareAsync(ct);

        bool complete;
        double insertSeconds;
        DateTimeOffset burstFrom;
        await using (var server = await CasewireServer.StartAsync(
            settings.ServerBinary, db, settings.WorkDir, $"{provider}-lateness-{(warmUpItems > 0 ? "warm" : "cold")}", ReadyTimeout, ct))
        {
            if (warmUpItems > 0)
            {
                var warmUpAt = DateTimeOffset.UtcNow;
                await db.SeedAsync(companyId, warmUpItems, _ => warmUpAt, batchSize: 5_000, ct);
                await db.NotifyWrittenAsync(ct);
                if (!await WaitUntilAllSentAsync(db, server, warmUpItems, settings.LatenessTimeout, $"{what} warm-up", ct))
                    throw new TimeoutException("the warm-up items were not sent in time");
            }
            await Task.Delay(TimeSpan.FromSeconds(3), ct); // idle: start-up work is over, the dispatcher sleeps
            var now = DateTimeOffset.UtcNow;
            burstFrom = now + Ahead;
            var window = TimeSpan.FromSeconds(3);
            var insert = Stopwatch.StartNew();
            await db.SeedAsync(companyId, n, i => burstFrom + window * i / Math.Max(1, n - 1), batchSize: n, ct);
            await db.NotifyWrittenAsync(ct);
            insertSeconds = insert.Elapsed.TotalSeconds;
            Log($"{what}: wrote {n:N0} items due in [+{Ahead.TotalSeconds:0} s, +{(Ahead + window).TotalSeconds:0} s] in {insertSeconds:0.00} s");
            // A write that ends less than the idle cap before the first due time measures when a sleeping SQLite dispatcher
            // happens to look (the write's commit against the phase of its 5 s idle checks), not how late it sends.
            if (insert.Elapsed > Ahead - IdleCap)
                throw new InvalidOperationException($"the write took {insertSeconds:0.00} s: it must end {IdleCap.TotalSeconds:0} s before the first item is due");
            complete = await WaitUntilAllSentAsync(db, server, n, settings.LatenessTimeout, what, ct, sunkBefore: server.SinkLines());
        }

        var lateness = (await db.ReadTimesAsync(ct))
            .Where(t => t.SentAt is not null && t.DueAt > burstFrom - TimeSpan.FromSeconds(1)) // not the warm-up items (SQLite keeps ms)
            .Select(t => (t.SentAt!.Value - t.DueAt).TotalMilliseconds)
            .Order()
            .ToList();
        if (lateness.Count == 0) throw new InvalidOperationException($"none of the {n} items was sent");
        var result = new LatenessResult(n, lateness.Count, warmUpItems, insertSeconds,
            Percentile(lateness, 0.50), Percentile(lateness, 0.99), lateness[^1], Complete: complete && lateness.Count == n);
        Log($"{what}: {result.Sent:N0} sent; p50 {result.P50Ms:N0} ms, p99 {result.P99Ms:N0} ms, max {result.MaxMs:N0} ms");
        return result;
    }

    /// <summary>
    /// Waits until no item is pending or leased; false when the timeout came first. The sink file is followed every poll, the
    /// database asked only once the sink has <paramref name="n"/> lines or every <see cref="DatabasePoll"/>: its count reads every
    /// row, and asked every 250 ms it took a tenth of a core from a PostgreSQL drain, counted in the database's CPU per item.
    /// </summary>
    /// <param name="sunkBefore">The sink's lines before these items: a warmed-up server's earlier ones.</param>
    static async Task<bool> WaitUntilAllSentAsync(BenchDatabase db, CasewireServer server, int n, TimeSpan timeout, string what, CancellationToken ct,
        long sunkBefore = 0)
    {
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        TimeSpan? lastAsked = null;
        var unsent = n;
        while (true)
        {
            if (server.SinkLines() - sunkBefore >= n || lastAsked is null || clock.Elapsed - lastAsked >= DatabasePoll)
            {
                lastAsked = clock.Elapsed;
                unsent = await db.CountUnsentAsync(ct);
            }
            if (unsent == 0) return true;
            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
            {
                lastReport = clock.Elapsed;
                Log($"{what}: {n - unsent:N0} of {n:N0} done after {clock.Elapsed.TotalSeconds:0} s");
            }
            if (clock.Elapsed > timeout)
            {
                Log($"{what}: TIMEOUT after {timeout.TotalSeconds:0} s with {unsent:N0} items not sent");
                return false;
            }
            server.EnsureRunning();
            await Task.Delay(Poll, ct);
        }
    }

    /// <summary>Nearest-rank percentile of an ascending list.</summary>
    static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static void Log(string line) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
}
