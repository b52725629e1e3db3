using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Casewire.Data;

sealed class DatabaseOptions
{
    public const string Section = "Database";
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}

enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

static class DataExtensions
{
    public const string DefaultSqliteConnection = "Data Source=data/casewire.db";

    /// <remarks>The context attaches every <see cref="IInterceptor"/> registered as a singleton (the outbox's wake-up, AddDelivery).</remarks>
    public static IHostApplicationBuilder AddCasewireData(this IHostApplicationBuilder builder)
    {
        // Read at once, not at start-up like the other sections: it decides what is registered.
        var provider = builder.Configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"];
        if (!string.IsNullOrWhiteSpace(provider) && !(Enum.TryParse<DatabaseProvider>(provider, ignoreCase: true, out var known) && Enum.IsDefined(known)))
            throw new InvalidOperationException($"Database:Provider '{provider}' is not known; use Sqlite (the default) or Postgres.");
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        builder.Services.AddSingleton(Options.Create(options));
        var connectionString = builder.Configuration.GetConnectionString("Casewire");

        if (options.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException(
                    "Database:Provider is Postgres but ConnectionStrings:Casewire is not set, " +
                    "e.g. ConnectionStrings__Casewire='Host=localhost;Database=casewire;Username=casewire;Password=…'.");
            var postgres = PreparePostgres(connectionString);
            builder.Services.AddDbContextPool<CasewireDb, PostgresCasewireDb>((services, db) => db
                .UseNpgsql(postgres, npgsql => npgsql.ConfigureDataSource(source => source.ConfigureTracing(tracing => tracing
                    // A database span only as part of a traced request or dispatcher round: the dispatcher's
                    // idle polling would otherwise be a stream of root spans (README "Observability").
                    .ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is not null)
                    .ConfigureBatchFilter(_ => System.Diagnostics.Activity.Current is not null))))
                .AddInterceptors(services.GetServices<IInterceptor>()));
        }
        else
        {
            var sqlite = PrepareSqlite(connectionString ?? DefaultSqliteConnection);
            builder.Services.AddDbContextPool<CasewireDb, SqliteCasewireDb>((services, db) => db
                .UseSqlite(sqlite)
                .AddInterceptors([SqlitePragmas.Instance, .. services.GetServices<IInterceptor>()]));
        }

        builder.Services.AddHostedService<DatabaseMigrator>();
        if (options.Provider == DatabaseProvider.Sqlite && ServerHold.DatabaseFile(connectionString ?? DefaultSqliteConnection) is { } file)
            builder.Services.AddHostedService(_ => new ServerHold(file)); // casewire restore refuses while it is held
        builder.Services.AddHealthChecks().AddDbContextCheck<CasewireDb>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>Lets Npgsql prepare the statements it sees repeatedly, unless the connection string says otherwise.</summary>
    // The dispatcher's claim and per-item updates: the delivery benchmark measured the database's CPU per
    // delivery falling about threefold. A connection string that sets auto-prepare itself (e.g. 0 behind
    // PgBouncer) is left alone.
    static string PreparePostgres(string connectionString)
    {
        if (connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)
            || connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
            return connectionString;
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 50, AutoPrepareMinUsages = 2 }.ConnectionString;
    }

    /// <summary>Creates the folder of the SQLite file so the first run needs no setup.</summary>
    static string PrepareSqlite(string connectionString)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true };
        if (csb.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(csb.DataSource) && csb.DataSource != ":memory:")
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(csb.DataSource));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        }
        return csb.ToString();
    }
}

/// <summary>
/// Per-connection SQLite settings. With WAL (readers run beside the one writer) NORMAL sync is
/// durable across process crashes and much faster than FULL.
/// </summary>
/// <remarks>
/// Set once per physical connection: Microsoft.Data.Sqlite pools them, and EF opens and closes the pooled
/// connection around every query outside a transaction, so running the pragmas at each open was a statement
/// more per query (two per <c>PUT /contacts</c>) for settings the connection already had.
/// </remarks>
sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();
    // journal_mode=WAL is stored in the file (set by the migrator); foreign keys come from the
    // connection string; synchronous and busy_timeout are per connection. busy_timeout: a writer that
    // finds the write lock taken is retried by SQLite within milliseconds, instead of getting BUSY at
    // once and Microsoft.Data.Sqlite's fixed 150 ms sleep (docs/decisions.md, bench/RESULTS.md).
    const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    /// <summary>The physical connections (SQLite handles) that have the settings; a closed pool's handles drop out with them.</summary>
    readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (Configured(connection)) return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        Remember(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Configured(connection)) return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        Remember(connection);
    }

    bool Configured(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && _configured.TryGetValue(handle, out _);

    void Remember(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle }) _configured.AddOrUpdate(handle, handle);
    }
}

/// <summary>Applies pending migrations before the server accepts requests (hosted services start first).</summary>
sealed class DatabaseMigrator(IServiceScopeFactory scopes, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(scopes, cancellationToken);
        logger.LogInformation("Database is up to date");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task MigrateAsync(IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await UniqueSenderNumbers.LogLaterClaimsAsync(db, scope.ServiceProvider.GetRequiredService<ILogger<DatabaseMigrator>>(), cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}

static class DbErrors
{
    /// <summary>True when a save failed on a unique index: the caller lost a race and should reload.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
