using System.Globalization;

namespace Casewire.Bench;

/// <summary>What every benchmark needs: the server binary, a scratch folder, PostgreSQL, wrk and the knobs.</summary>
sealed record BenchContext(
    string ServerBinary,
    string WorkDir,
    string? PostgresAdmin,
    string ScriptsDir,
    IReadOnlyDictionary<string, string> Options)
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    public string Option(string name, string fallback) => Options.GetValueOrDefault(name, fallback);
    public int Int(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>The Partner API without its per-token budget: the load is the point (RateLimit:PermitsPerMinute 0 is off).</summary>
    public static readonly IReadOnlyDictionary<string, string> NoRateLimit = new Dictionary<string, string>
    {
        ["RateLimit__PermitsPerMinute"] = "0",
    };

    /// <summary>A fresh database with the bench company and an API token.</summary>
    public async Task<(BenchDatabase Db, int CompanyId, string Token)> NewDatabaseAsync(string provider, string run, CancellationToken ct)
    {
        var db = await BenchDatabase.CreateAsync(provider, run, WorkDir, PostgresAdmin);
        try
        {
            var companyId = await db.PrepareAsync(ct);
            var token = await db.CreateTokenAsync(companyId, ct);
            return (db, companyId, token);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    public Task<CasewireServer> StartServerAsync(BenchDatabase db, string run, CancellationToken ct, TimeSpan? readyPoll = null) =>
        CasewireServer.StartAsync(ServerBinary, db, WorkDir, run, ReadyTimeout, ct, NoRateLimit, readyPoll);
}

static class Stats
{
    /// <summary>Nearest-rank percentile of an ascending list.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string N0(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
    public static string F1(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
    public static string F2(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string DatabaseName(string provider, string? postgresVersion) =>
        provider != "Postgres" ? "SQLite" : postgresVersion is null ? "PostgreSQL" : $"PostgreSQL {postgresVersion}";
}
