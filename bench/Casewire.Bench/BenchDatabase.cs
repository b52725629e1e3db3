using Casewire.Data;
using Casewire.Delivery;
using Casewire.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Casewire.Bench;

/// <summary>
/// One fresh database for one benchmark run: a temp SQLite file, or a new PostgreSQL database
/// (<c>CREATE DATABASE bench_…</c>) on the server given by <c>CASEWIRE_TEST_POSTGRES</c>.
/// It is migrated with Casewire's own migrations and seeded through Casewire's EF model.
/// </summary>
abstract class BenchDatabase : IAsyncDisposable
{
    /// <summary>The value of the server's <c>Database__Provider</c>.</summary>
    public abstract string Provider { get; }
    /// <summary>The value of the server's <c>ConnectionStrings__Casewire</c>.</summary>
    public abstract string ConnectionString { get; }
    public abstract CasewireDb NewContext();
    public abstract ValueTask DisposeAsync();

    public static async Task<BenchDatabase> CreateAsync(string provider, string run, string workDir, string? postgresAdmin)
    {
        if (provider == "Sqlite") return new Sqlite(Path.Combine(workDir, $"{run}.db"));
        var admin = postgresAdmin ?? throw new InvalidOperationException("PostgreSQL needs CASEWIRE_TEST_POSTGRES (source scripts/pg.sh; pg_start)");
        var name = $"bench_{run}_{DateTime.UtcNow:HHmmss}_{Environment.ProcessId}".ToLowerInvariant();
        await Postgres.ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        return new Postgres(admin, name);
    }

    /// <summary>Migrates the empty database and adds the one company every item belongs to.</summary>
    public async Task<int> PrepareAsync(CancellationToken ct)
    {
        await using var db = NewContext();
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct); // as the server's migrator does
        await db.Database.MigrateAsync(ct);
        var company = new Company { Name = "Bench Law", Slug = "bench", DeliveryWindow = DeliveryWindow.Immediate, CreatedAt = DateTimeOffset.UtcNow };
        db.Companies.Add(company);
        await db.SaveChangesAsync(ct);
        return company.Id;
    }

    /// <summary>
    /// An API token of the company, made by Casewire's own code (what <c>casewire token create</c> runs):
    /// the Partner API benchmarks call the server with it.
    /// </summary>
    public async Task<string> CreateTokenAsync(int companyId, CancellationToken ct)
    {
        await using var db = NewContext();
        var (_, secret) = await Casewire.Partner.Auth.ApiTokens.CreateAsync(db, companyId, "bench", DateTimeOffset.UtcNow, ct);
        return secret;
    }

    /// <summary>Runs one SQL statement (the bulk seed of the scale benchmark); returns the rows it touched.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var db = NewContext();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        return await db.Database.ExecuteSqlRawAsync(sql, ct);
    }

    /// <summary>
    /// Inserts <paramref name="count"/> pending SMS items, <paramref name="batchSize"/> per
    /// transaction and context (change detection off). Item i is due at <paramref name="dueAt"/>(i).
    /// </summary>
    public async Task SeedAsync(int companyId, int count, Func<int, DateTimeOffset> dueAt, int batchSize, CancellationToken ct)
    {
        var createdAt = DateTimeOffset.UtcNow;
        for (var start = 0; start < count; start += batchSize)
        {
            await using var db = NewContext();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var end = Math.Min(count, start + batchSize);
            for (var i = start; i < end; i++)
            {
                var body = $"Casewire bench: your case has moved on (item {i}). Reply to this text with questions.";
                var due = dueAt(i);
                db.OutboxItems.Add(new OutboxItem
                {
                    CompanyId = companyId,
                    Channel = Channel.Sms,
                    To = $"+1555{i % 10_000_000:D7}",
                    Body = body,
                    Segments = SmsSegments.Count(body),
                    DueAt = due,
                    AvailableAt = due,
                    Status = DeliveryStatus.Pending,
                    CreatedAt = createdAt,
                });
            }
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Items not yet sent (pending or leased). Cheap: both states have a partial index.</summary>
    public async Task<int> CountUnsentAsync(CancellationToken ct)
    {
        await using var db = NewContext();
        return await db.OutboxItems.CountAsync(o => o.Status == DeliveryStatus.Pending || o.Status == DeliveryStatus.Sending, ct);
    }

    public sealed record Times(DateTimeOffset DueAt, DateTimeOffset? SentAt, DeliveryStatus Status);

    public async Task<List<Times>> ReadTimesAsync(CancellationToken ct)
    {
        await using var db = NewContext();
        return await db.OutboxItems.AsNoTracking().Select(o => new Times(o.DueAt, o.SentAt, o.Status)).ToListAsync(ct);
    }

    /// <summary>Rows per table touched by the dispatcher, to count what one item costs.</summary>
    public async Task<int> CountAttemptsAsync(CancellationToken ct)
    {
        await using var db = NewContext();
        return await db.DeliveryAttempts.CountAsync(ct);
    }

    /// <summary>
    /// What another Casewire instance does after writing outbox rows: <c>NOTIFY casewire_outbox</c>
    /// (PostgresOutboxRelay) so sleeping dispatchers look again. SQLite has no such channel.
    /// </summary>
    public virtual Task NotifyWrittenAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// CPU time the database server has used so far (all its processes), or null when the database
    /// runs inside the Casewire process (SQLite) and is already counted there.
    /// </summary>
    public virtual Task<TimeSpan?> ServerCpuTimeAsync(CancellationToken ct) => Task.FromResult<TimeSpan?>(null);

    sealed class Sqlite(string file) : BenchDatabase
    {
        public override string Provider => "Sqlite";
        public override string ConnectionString { get; } = new SqliteConnectionStringBuilder { DataSource = file }.ToString();

        public override CasewireDb NewContext() =>
            new SqliteCasewireDb(new DbContextOptionsBuilder<SqliteCasewireDb>()
                .UseSqlite(new SqliteConnectionStringBuilder(ConnectionString) { ForeignKeys = true, DefaultTimeout = 30 }.ToString()).Options);

        public override ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(file + suffix);
            return ValueTask.CompletedTask;
        }
    }

    sealed class Postgres(string admin, string name) : BenchDatabase
    {
        public override string Provider => "Postgres";
        public override string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();

        public override CasewireDb NewContext() =>
            new PostgresCasewireDb(new DbContextOptionsBuilder<PostgresCasewireDb>().UseNpgsql(ConnectionString).Options);

        public override Task NotifyWrittenAsync(CancellationToken ct) => ExecuteAsync(ConnectionString, "NOTIFY casewire_outbox", ct);

        /// <summary>
        /// The postmaster's own and reaped children's CPU plus that of its live backends, from /proc
        /// (the server is local: scripts/pg.sh). Null when /proc cannot tell.
        /// </summary>
        public override async Task<TimeSpan?> ServerCpuTimeAsync(CancellationToken ct)
        {
            int backend;
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
                backend = (int)(await command.ExecuteScalarAsync(ct))!;
            }
            if (ProcStat(backend) is not { } stat) return null;
            var postmaster = stat.Parent;
            if (ProcStat(postmaster) is not { } root) return null;
            var ticks = root.Ticks + root.ChildTicks;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
                if (int.TryParse(Path.GetFileName(dir), out var pid) && ProcStat(pid) is { } child && child.Parent == postmaster)
                    ticks += child.Ticks;
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
        }

        /// <summary>Fields of /proc/PID/stat: parent pid, utime + stime, cutime + cstime (in clock ticks).</summary>
        static (int Parent, long Ticks, long ChildTicks)? ProcStat(int pid)
        {
            try
            {
                var text = File.ReadAllText($"/proc/{pid}/stat");
                var f = text[(text.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": f[0] is the state
                return (int.Parse(f[1]), long.Parse(f[11]) + long.Parse(f[12]), long.Parse(f[13]) + long.Parse(f[14]));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                return null;
            }
        }

        public static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct = default)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(ct);
        }

        public override async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }
}
