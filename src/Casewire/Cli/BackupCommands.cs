using System.CommandLine;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Casewire.Data;
using Npgsql;

namespace Casewire.Cli;

/// <summary>
/// <c>casewire backup --to FILE</c> and <c>casewire restore --from FILE</c>. Backup: a consistent copy of the database while the server runs and writes. On SQLite,
/// SQLite's online backup API copies the pages as of one moment; on PostgreSQL, <c>pg_dump</c> is the tool, and the
/// command says how to run it with the configured connection. The Data Protection keys are rows of the database, so
/// they travel with it: restored staff sessions and portal links keep working. Restore puts a backup in place of the
/// configured SQLite database, only while no server holds it (<see cref="ServerHold"/>), only a file that is a sound
/// Casewire database of this release or an older one, and keeps the database it replaces beside it.
/// </summary>
static class BackupCommands
{
    public static Command Create(CliContext context)
    {
        var to = new Option<string>("--to") { Description = "The backup file to write (SQLite); it must not exist yet.", Required = true };
        var command = new Command("backup", "Copy the database consistently while the server runs (SQLite), or say how with pg_dump (PostgreSQL).") { to };
        command.SetAction((parsed, ct) => context.RunAsync(async (_, db) =>
        {
            var file = Path.GetFullPath(parsed.GetValue(to)!);
            if (db.Database.IsNpgsql())
            {
                context.Out.WriteLine(PostgresAdvice(db.Database.GetConnectionString()!, file));
                return 0;
            }
            if (File.Exists(file)) throw new CliError($"--to: '{file}' exists already; choose a new file, so no backup is overwritten.");
            var folder = Path.GetDirectoryName(file)!;
            if (!Directory.Exists(folder)) throw new CliError($"--to: the folder '{folder}' does not exist.");

            await using var source = new SqliteConnection(db.Database.GetConnectionString());
            await source.OpenAsync(ct);
            await using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString))
            {
                await destination.OpenAsync(ct);
                source.BackupDatabase(destination); // one consistent snapshot, whatever the server writes meanwhile
            }
            context.Out.WriteLine($"Backed up {source.DataSource} to {file} ({new FileInfo(file).Length:N0} bytes), as of {context.Time.GetUtcNow():u}.");
            return 0;
        }, ct));
        return command;
    }

    public static Command CreateRestore(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "The backup file to restore (SQLite), made by 'casewire backup'.", Required = true };
        var command = new Command("restore", "Put a backup in place of the database, with the server stopped (SQLite); say how with pg_restore (PostgreSQL).") { from };
        command.SetAction((parsed, ct) => context.RunAsync(async (_, db) =>
        {
            var file = Path.GetFullPath(parsed.GetValue(from)!);
            if (db.Database.IsNpgsql())
            {
                context.Out.WriteLine(PostgresAdvice(db.Database.GetConnectionString()!, file));
                return 0;
            }
            var restored = await RestoreSqliteAsync(db.Database.GetConnectionString()!, file, db.Database.GetMigrations().ToHashSet(),
                context.Time.GetUtcNow(), ct);
            context.Out.WriteLine($"Restored {file} into {restored.Database} ({restored.Migrations} migrations applied in the backup).");
            context.Out.WriteLine(restored.KeptAside is { } aside
                ? $"The database it replaced is kept as {aside}."
                : "There was no database to replace.");
            context.Out.WriteLine("Start the server: it applies the migrations this release adds, and portal links and sessions of the backup's moment work.");
            return 0;
        }, ct, migrate: false));
        return command;
    }

    internal sealed record Restored(string Database, string? KeptAside, int Migrations);

    /// <summary>
    /// Copies <paramref name="backupFile"/> over the database of <paramref name="connectionString"/> with SQLite's
    /// backup API (so the live file's write-ahead log is handled as SQLite does), after keeping the current
    /// database as <c>{file}.before-restore-{time}</c>. Refuses, changing nothing, when a server holds the
    /// database, or when the backup is not a sound Casewire database this release can open.
    /// </summary>
    internal static async Task<Restored> RestoreSqliteAsync(string connectionString, string backupFile, IReadOnlySet<string> knownMigrations,
        DateTimeOffset now, CancellationToken ct)
    {
        if (!File.Exists(backupFile)) throw new CliError($"--from: '{backupFile}' does not exist.");
        var target = ServerHold.DatabaseFile(connectionString)
            ?? throw new CliError("the configured database is in memory: there is nothing to restore into.");
        var migrations = await CheckBackupAsync(backupFile, knownMigrations, ct);

        var existed = File.Exists(target) && new FileInfo(target).Length > 0;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var hold = ServerHold.TryTakeExclusively(target)
            ?? throw new CliError($"a Casewire server is running on {target}. Stop it first (e.g. 'systemctl stop casewire'), then restore.");

        string? aside = null;
        await using var live = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ConnectionString);
        await live.OpenAsync(ct);
        if (existed)
        {
            aside = $"{target}.before-restore-{now.UtcDateTime:yyyyMMdd-HHmmss}";
            if (File.Exists(aside)) throw new CliError($"'{aside}' exists already: wait a second and run the restore again.");
            await using var keep = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = aside, Pooling = false }.ConnectionString);
            await keep.OpenAsync(ct);
            live.BackupDatabase(keep);
        }
        await using (var backup = new SqliteConnection(ReadOnly(backupFile)))
        {
            await backup.OpenAsync(ct);
            backup.BackupDatabase(live);
        }
        return new Restored(target, aside, migrations);
    }

    /// <summary>The number of migrations the backup holds, once it is known to be sound and not from a newer release.</summary>
    static async Task<int> CheckBackupAsync(string backupFile, IReadOnlySet<string> knownMigrations, CancellationToken ct)
    {
        try
        {
            await using var backup = new SqliteConnection(ReadOnly(backupFile));
            await backup.OpenAsync(ct);
            await using var check = backup.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            if (await check.ExecuteScalarAsync(ct) is not "ok")
                throw new CliError($"--from: '{backupFile}' fails SQLite's integrity check: it is damaged; restore another backup.");
            check.CommandText = "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"";
            var applied = new List<string>();
            await using (var reader = await check.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) applied.Add(reader.GetString(0));
            if (applied.Count == 0) throw new CliError($"--from: '{backupFile}' holds no Casewire migrations: it is not a Casewire backup.");
            var unknown = applied.Where(m => !knownMigrations.Contains(m)).ToList();
            if (unknown.Count > 0)
                throw new CliError($"--from: '{backupFile}' was made by a newer Casewire (it has migration {unknown[0]}, which this release does not know); restore it with that release.");
            return applied.Count;
        }
        catch (SqliteException e)
        {
            throw new CliError($"--from: '{backupFile}' is not a Casewire SQLite backup ({e.Message.TrimEnd('.')}).");
        }
    }

    static string ReadOnly(string file) =>
        new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString;

    /// <summary>The pg_dump and pg_restore lines for the configured database, without its password.</summary>
    static string PostgresAdvice(string connectionString, string file)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        var target = $"--host={csb.Host} --port={csb.Port} --username={csb.Username} --dbname={csb.Database}";
        return $"""
            On PostgreSQL, back up with pg_dump (the password as PGPASSWORD or in ~/.pgpass):
              pg_dump {target} --format=custom --file={file}
            and restore into an empty database, with the server stopped:
              pg_restore {target} --clean --if-exists {file}
            The Data Protection keys are in the database: restored sessions and portal links keep working.
            """;
    }
}
