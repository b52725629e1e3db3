using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Casewire.Data;

sealed class SqliteCasewireDb(DbContextOptions<SqliteCasewireDb> options) : CasewireDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        base.ConfigureConventions(conventions);
        // SQLite has no instant type and EF cannot compare or order DateTimeOffset stored as text:
        // store instants as Unix milliseconds (UTC) so due-time queries are plain integer comparisons.
        conventions.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        conventions.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
    }
}

sealed class PostgresCasewireDb(DbContextOptions<PostgresCasewireDb> options) : CasewireDb(options);

sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.ToUnixTimeMilliseconds(),
    value => DateTimeOffset.FromUnixTimeMilliseconds(value));

/// <summary>An instant as a hand-written SQL statement's parameter: as each provider stores it (<see cref="UnixMillisecondsConverter"/> on SQLite).</summary>
static class SqlInstants
{
    public static object Parameter(DateTimeOffset value, bool sqlite) => sqlite ? value.ToUnixTimeMilliseconds() : value.ToUniversalTime();
}

/// <summary>Lets <c>dotnet ef migrations add</c> build each provider's context without the app.</summary>
sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCasewireDb>
{
    public SqliteCasewireDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCasewireDb>().UseSqlite("Data Source=design.db").Options);
}

sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCasewireDb>
{
    public PostgresCasewireDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCasewireDb>().UseNpgsql("Host=localhost").Options);
}
