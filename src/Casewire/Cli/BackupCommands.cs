using System.CommandLine;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Casewire.Cli;

/// <summary>
/// <c>casewire backup --to FILE</c>: a consistent copy of the database while the server runs and writes. On SQLite,
/// SQLite's online backup API copies the pages as of one moment; on PostgreSQL, <c>pg_dump</c> is the tool, and the
/// command says how to run it with the configured connection. The Data Protection keys are rows of the database, so
/// they travel with it: restored staff sessions and portal links keep working.
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
