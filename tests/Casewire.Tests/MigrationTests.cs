using Casewire.Data;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Casewire.Tests;

/// <summary>
/// SPEC §9: each provider has its own EF Core migrations generated from the same model, applied at
/// start-up and by <c>migrate</c>. The committed migrations must match the model for both.
/// </summary>
public sealed class MigrationTests
{
    public static TheoryData<string> Providers => new() { "Sqlite", "Postgres" };

    static CasewireDb DesignTimeContext(string provider) => provider switch
    {
        "Sqlite" => new SqliteDesignTimeFactory().CreateDbContext([]),
        "Postgres" => new PostgresDesignTimeFactory().CreateDbContext([]),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public void TheCommittedMigrationsMatchTheModel(string provider)
    {
        using var db = DesignTimeContext(provider);

        Assert.False(db.Database.HasPendingModelChanges(),
            $"the {provider} model has changes no migration captures: run 'dotnet ef migrations add' for {provider}");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void EachProviderHasItsOwnMigrations(string provider)
    {
        using var db = DesignTimeContext(provider);

        var migrations = db.Database.GetMigrations().ToList();

        Assert.NotEmpty(migrations);
        var assembly = db.GetService<IMigrationsAssembly>();
        Assert.NotNull(assembly.ModelSnapshot);
        Assert.All(migrations, id => Assert.Contains($".Migrations.{provider}", assembly.Migrations[id].FullName));
    }

    [Fact]
    public void TheTwoProvidersMigrationSetsAreSeparate()
    {
        using var sqlite = DesignTimeContext("Sqlite");
        using var postgres = DesignTimeContext("Postgres");

        Assert.Empty(sqlite.Database.GetMigrations().Intersect(postgres.Database.GetMigrations()));
        Assert.NotSame(sqlite.GetService<IMigrationsAssembly>().ModelSnapshot!.GetType(),
            postgres.GetService<IMigrationsAssembly>().ModelSnapshot!.GetType());
    }
}

/// <summary>The running app's database (SQLite, or PostgreSQL under CASEWIRE_TEST_POSTGRES) is fully migrated.</summary>
public sealed class AppliedMigrationTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    [Fact]
    public async Task TheAppsDatabaseHasEveryMigrationOfItsProviderApplied()
    {
        var (all, applied, pending, isPostgres) = await app.WithDbAsync(async db => (
            db.Database.GetMigrations().ToList(),
            (await db.Database.GetAppliedMigrationsAsync()).ToList(),
            (await db.Database.GetPendingMigrationsAsync()).ToList(),
            db.Database.IsNpgsql()));

        Assert.Equal(CasewireApp.OnPostgres, isPostgres);
        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
        Assert.Empty(pending);
    }
}
