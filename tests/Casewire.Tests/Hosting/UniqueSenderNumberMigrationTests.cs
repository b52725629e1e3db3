using Casewire.Data;
using Casewire.Model;
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
            foreach (var (slug, number) in new[] { ("first", Shared), ("second", Shared), ("own", Own), ("third", Shared), ("none", (string?)null) })
            {
                db.Companies.Add(new Company { Slug = slug, Name = slug, SenderNumber = number, CreatedAt = Time.GetUtcNow() });
                await db.SaveChangesAsync(); // one by one: ids in this order
            }
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
