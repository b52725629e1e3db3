using Casewire.Data;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Casewire.Tests.Hosting;

/// <summary>
/// An installation that already holds one sender number under several companies (allowed before SPEC §11) upgrades
/// without failing: the company that claimed it first keeps it, the later ones lose it, and each is logged by name.
/// </summary>
public sealed class UniqueSenderNumberMigrationTests(UniqueSenderNumberMigrationTests.App app) : IClassFixture<UniqueSenderNumberMigrationTests.App>
{
    const string Shared = "+14155559001";
    const string Own = "+14155559002";

    public sealed class App : CasewireApp
    {
        public CapturedLogs Logs { get; } = new();

        /// <summary>The database as the release before the unique index left it, with duplicate claims.</summary>
        protected override async Task BeforeStartAsync()
        {
            await using CasewireDb db = OnPostgres
                ? new PostgresCasewireDb(new DbContextOptionsBuilder<PostgresCasewireDb>().UseNpgsql(ConnectionString).Options)
                : new SqliteCasewireDb(new DbContextOptionsBuilder<SqliteCasewireDb>().UseSqlite(ConnectionString).Options);
            var before = db.Database.GetMigrations().TakeWhile(m => !m.EndsWith("_" + UniqueSenderNumbers.Migration, StringComparison.Ordinal)).Last();
            await db.GetService<IMigrator>().MigrateAsync(before);
            // Rows as that release wrote them: today's model has columns later migrations add, so plain SQL with the
            // columns the table has then, every other required one given its type's zero.
            var required = await RequiredColumnsAsync(db);
            foreach (var (slug, number) in new[] { ("first", Shared), ("second", Shared), ("own", Own), ("third", Shared), ("none", (string?)null) })
            {
                var columns = new Dictionary<string, object?> { ["Slug"] = slug, ["Name"] = slug, ["SenderNumber"] = number };
                foreach (var (column, zero) in required) columns.TryAdd(column, zero);
                var names = string.Join(", ", columns.Keys.Select(c => $"\"{c}\""));
                var parameters = columns.Values.Where(v => v is not null).ToArray();
                var next = 0;
                var values = string.Join(", ", columns.Values.Select(v => v is null ? "NULL" : $"{{{next++}}}"));
#pragma warning disable EF1002 // the column names come from the table itself; the values are parameters
                await db.Database.ExecuteSqlRawAsync($"INSERT INTO \"Companies\" ({names}) VALUES ({values})", parameters!); // one by one: ids in this order
#pragma warning restore EF1002
            }
        }

        /// <summary>The table's NOT NULL columns without a default (but the id), each with a zero of its type.</summary>
        static async Task<List<(string Column, object Zero)>> RequiredColumnsAsync(CasewireDb db)
        {
            var sql = OnPostgres
                ? "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'Companies' AND is_nullable = 'NO' AND column_default IS NULL AND column_name <> 'Id'"
                : "SELECT name, type FROM pragma_table_info('Companies') WHERE \"notnull\" = 1 AND dflt_value IS NULL AND pk = 0";
            var connection = db.Database.GetDbConnection();
            if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var columns = new List<(string, object)>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var type = reader.GetString(1).ToLowerInvariant();
                columns.Add((reader.GetString(0), type switch
                {
                    "text" or "character varying" => "",
                    "boolean" => false,
                    "timestamp with time zone" => DateTimeOffset.UnixEpoch,
                    "bigint" => 0L,
                    _ => 0,
                }));
            }
            return columns;
        }

        protected override void ConfigureServices(IServiceCollection services)
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            services.AddLogging(logging => logging.AddFilter<CapturedLogs>(null, LogLevel.Information));
        }
    }

    [Fact]
    public async Task TheFirstClaimKeepsTheNumberTheLaterOnesAreClearedAndLoggedAndTheIndexHolds()
    {
        var numbers = await app.WithDbAsync(db => db.Companies.AsNoTracking().ToDictionaryAsync(c => c.Slug, c => c.SenderNumber));

        Assert.Equal(Shared, numbers["first"]);
        Assert.Null(numbers["second"]);
        Assert.Null(numbers["third"]);
        Assert.Equal(Own, numbers["own"]);
        Assert.Null(numbers["none"]);
        var warnings = app.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Category.EndsWith("DatabaseMigrator", StringComparison.Ordinal)).ToList();
        Assert.Equal(["second", "third"], warnings.Select(w => w.Values["Slug"]));
        Assert.All(warnings, w => Assert.Equal(("first", Shared), (w.Values["KeptBy"], w.Values["SenderNumber"])));

        var refused = await app.WithDbAsync(async db =>
        {
            (await db.Companies.SingleAsync(c => c.Slug == "second")).SenderNumber = Shared;
            return DbErrors.IsUniqueViolation(await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync()));
        });
        Assert.True(refused);
    }
}
