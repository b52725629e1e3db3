using System.Data.Common;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Casewire.Data;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Casewire.Tests.Upgrade;

/// <summary>
/// An installation of the release of 26 Nov 2026 opened by today's build (issue 22): the database that release wrote
/// (Fixtures/, made by make-fixtures.sh with that release's own binary: a firm in Tokyo, its contacts, cases, messages,
/// a calendar event with reminders, a canceled one, a second firm) is migrated at start-up; every row it held is still
/// there and readable through today's model, its API token and its clients' portal links still work, and every outbox
/// item it left pending is sent once, at its time.
/// </summary>
public sealed partial class UpgradeTests(UpgradeTests.App app) : IClassFixture<UpgradeTests.App>
{
    const string Release = "2026-11-26";

    public sealed class App : CasewireApp
    {
        static string Fixture(string extension) => Path.Combine(AppContext.BaseDirectory, "Upgrade", "Fixtures", $"release-{Release}.{extension}");

        /// <summary>Rows per table as the release left them, read before today's build touched the database.</summary>
        public Dictionary<string, long> RowsBefore { get; } = [];

        /// <summary>Rows per table once today's build has started (migrated) on it, before any test sends anything.</summary>
        public Dictionary<string, long> RowsAfterStart { get; } = [];

        protected override void StartHost()
        {
            base.StartHost();
            using var connection = Open();
            connection.Open();
            foreach (var table in RowsBefore.Keys)
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                RowsAfterStart[table] = Convert.ToInt64(command.ExecuteScalar());
            }
        }

        /// <summary>The outbox items the release left pending: id → due instant.</summary>
        public Dictionary<long, DateTimeOffset> PendingBefore { get; } = [];

        /// <summary>The bodies of the release's welcome texts, which carry each client's portal link.</summary>
        public List<string> Bodies { get; } = [];

        /// <summary>The release's API token of the Tokyo firm (printed once by its <c>token create</c>).</summary>
        public string Token { get; } = File.ReadAllText(Fixture(OnPostgres ? "postgres.token" : "db.token")).Trim();

        protected override async Task BeforeStartAsync()
        {
            if (OnPostgres) await RestorePostgresAsync();
            else File.Copy(Fixture("db"), SqliteFile!);

            await using var connection = Open();
            await connection.OpenAsync();
            foreach (var table in await TablesAsync(connection))
                RowsBefore[table] = Convert.ToInt64(await ScalarAsync(connection, $"SELECT COUNT(*) FROM \"{table}\""));
            // Today's build starts a minute after the release wrote its last item.
            Time.SetUtcNow(ToInstant(await ScalarAsync(connection, "SELECT MAX(\"CreatedAt\") FROM \"OutboxItems\"")).AddMinutes(1));
            await using var pending = connection.CreateCommand();
            pending.CommandText = "SELECT \"Id\", \"DueAt\", \"Body\" FROM \"OutboxItems\" WHERE \"Status\" = 'Pending'";
            await using var reader = await pending.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                PendingBefore[reader.GetInt64(0)] = ToInstant(reader.GetValue(1));
                Bodies.Add(reader.GetString(2));
            }
        }

        /// <summary>The release's schema (its own migrations, which are still ours), then the rows it wrote.</summary>
        async Task RestorePostgresAsync()
        {
            await using (var db = new PostgresCasewireDb(new DbContextOptionsBuilder<PostgresCasewireDb>().UseNpgsql(ConnectionString).Options))
            {
                var releasesLast = db.Database.GetMigrations().Last(m => m.EndsWith("_Webhooks", StringComparison.Ordinal));
                await db.GetService<IMigrator>().MigrateAsync(releasesLast);
            }
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            // A data-only dump inserts table by table, not in foreign-key order: the checks wait for the whole of it.
            await using var restore = new NpgsqlCommand(
                "SET session_replication_role = replica;\n" + await File.ReadAllTextAsync(Fixture("postgres.sql")) + "\nSET session_replication_role = DEFAULT;", connection);
            await restore.ExecuteNonQueryAsync();
        }

        /// <summary>An instant as the release stored it: a timestamp on PostgreSQL, Unix milliseconds on SQLite.</summary>
        static DateTimeOffset ToInstant(object? value) => value switch
        {
            DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
            DateTimeOffset instant => instant,
            _ => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value)),
        };

        public DbConnection Open() => OnPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);

        public static async Task<List<string>> TablesAsync(DbConnection connection)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = OnPostgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            var tables = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
            return tables.Where(t => !t.StartsWith("__EF", StringComparison.Ordinal)).ToList(); // EF's own history and lock
        }

        public static async Task<object?> ScalarAsync(DbConnection connection, string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync();
        }
    }

    [Fact]
    public async Task TheReleasesDatabaseIsMigratedToTodaysModelWithEveryRowStillThere()
    {
        var (applied, pending) = await app.WithDbAsync(async db =>
            ((await db.Database.GetAppliedMigrationsAsync()).ToList(), (await db.Database.GetPendingMigrationsAsync()).ToList()));
        Assert.Empty(pending);
        Assert.Contains(applied, m => m.EndsWith("_MassMessagesTemplatesInbox", StringComparison.Ordinal));

        Assert.Equal(2, app.RowsBefore["Companies"]);
        Assert.Equal(19, app.RowsBefore["OutboxItems"]);
        foreach (var (table, rows) in app.RowsBefore)
            Assert.True(rows == app.RowsAfterStart[table], $"{table} had {rows} rows before the upgrade, {app.RowsAfterStart[table]} after it");
    }

    [Fact]
    public async Task EveryRowTheReleaseWroteIsReadableThroughTodaysModel()
    {
        // Read and counted in one transaction: another test of this class may be sending the pending items meanwhile.
        var (read, counted) = await app.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
            var (read, counted) = (new Dictionary<string, long>(), new Dictionary<string, long>());
            foreach (var entity in db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned() && e.BaseType is null))
            {
                var table = entity.GetTableName()!;
                if (!app.RowsBefore.ContainsKey(table)) continue; // a table of a later release
                read[table] = await MaterializeAsync(db, entity);
                await using var count = db.Database.GetDbConnection().CreateCommand();
                count.Transaction = transaction.GetDbTransaction();
                count.CommandText = $"SELECT COUNT(*) FROM \"{table}\""; // a table name of the model
                counted[table] = Convert.ToInt64(await count.ExecuteScalarAsync());
            }
            return (read, counted);
        });

        Assert.Equal(app.RowsBefore.Keys.Order(), read.Keys.Order());
        foreach (var (table, rows) in read)
        {
            Assert.True(rows == counted[table], $"{table}: {rows} of {counted[table]} rows read back through today's model");
            Assert.True(rows >= app.RowsBefore[table], $"{table}: {rows} rows, fewer than the release's {app.RowsBefore[table]}");
        }
    }

    /// <summary>Loads every row of the entity's table as that entity (every mapped column converted), and counts them.</summary>
    static async Task<long> MaterializeAsync(CasewireDb db, IEntityType entity)
    {
        var load = typeof(UpgradeTests).GetMethod(nameof(LoadAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        return await (Task<long>)load.MakeGenericMethod(entity.ClrType).Invoke(null, [db])!;
    }

    static async Task<long> LoadAsync<T>(CasewireDb db) where T : class => (await db.Set<T>().IgnoreQueryFilters().AsNoTracking().ToListAsync()).Count;

    [Fact]
    public async Task TheReleasesTokenAndPortalLinksStillOpen()
    {
        var me = await app.ClientFor(app.Token).GetAsync("/partner/v2/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("upgrade", JsonNode.Parse(await me.Content.ReadAsStringAsync())!["company"]!["slug"]!.GetValue<string>());
        var deposition = await app.ClientFor(app.Token).GetAsync("/partner/v2/project/m-1/calendar-event/e-1");
        Assert.Equal(HttpStatusCode.OK, deposition.StatusCode);
        var reminders = JsonNode.Parse(await deposition.Content.ReadAsStringAsync())!["reminders"]!.AsArray();
        Assert.Equal(2, reminders.Count);

        var link = app.Bodies.Select(b => PortalLink().Match(b)).First(m => m.Success).Groups[1].Value;
        var page = await app.ClientBrowser().GetPageAsync(link);
        Assert.Contains("Ruiz v. Acme", page, StringComparison.Ordinal);
        Assert.Contains("Discovery", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryPendingItemIsSentOnceAtItsTimeAndNothingTheReleaseSentGoesAgain()
    {
        // The welcome and phase-change texts wait for Monday 08:00 in Tokyo; the deposition's reminders are a day and two hours before it.
        var due = app.PendingBefore.Values.Distinct().Order().ToList();
        Assert.Equal(3, due.Count);
        foreach (var instant in due)
        {
            app.Time.SetUtcNow(instant.AddSeconds(-1));
            await app.DispatchAsync();
            var early = Sent().Where(id => app.PendingBefore[id] >= instant).ToList();
            Assert.True(early.Count == 0, $"items {string.Join(", ", early)} went out before {instant:u}");

            app.Time.SetUtcNow(instant);
            await app.DispatchAsync();
            var expected = app.PendingBefore.Where(p => p.Value <= instant).Select(p => p.Key).Order();
            Assert.Equal(expected, Sent().Order());
        }

        Assert.Equal(app.PendingBefore.Keys.Order(), Sent().Order());
        var statuses = await app.WithDbAsync(db => db.OutboxItems.AsNoTracking().ToDictionaryAsync(i => (long)i.Id, i => i.Status));
        Assert.All(app.PendingBefore.Keys, id => Assert.Equal(DeliveryStatus.Sent, statuses[id]));
        Assert.Equal(7, statuses.Values.Count(s => s == DeliveryStatus.Sent) - app.PendingBefore.Count); // the release's own sends, untouched
        Assert.Single(statuses.Values, DeliveryStatus.Canceled);
    }

    /// <summary>The outbox items today's build handed to the sink (each line names its item), duplicates kept.</summary>
    List<long> Sent() => app.SinkLines().Select(line => line["deliveryId"]!.GetValue<long>()).ToList();

    [GeneratedRegex(@"https?://[^/\s]+(/portal/\S+)")]
    private static partial Regex PortalLink();
}
