using Casewire.Cli;
using Casewire.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>
/// <c>casewire backup --to FILE</c>: on SQLite a consistent copy taken while the server keeps writing, which a fresh
/// server then opens with every row the backup's moment held; on PostgreSQL the pg_dump lines for its connection.
/// </summary>
public sealed class BackupTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    /// <summary>A server on an existing database file, as after a restore.</summary>
    sealed class RestoredApp(string connectionString) : CasewireApp(connectionString);

    async Task<(int ExitCode, string Out, string Error)> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await AdminCli.RunAsync(app.Services, args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task ABackupTakenWhileContactsAreWrittenHoldsAConsistentMomentThatAFreshServerServes()
    {
        var file = Path.Combine(app.Folder, $"backup-{Guid.NewGuid():N}.db");
        var (exit, output, error) = await CliAsync("backup", "--to", file);
        if (CasewireApp.OnPostgres)
        {
            Assert.Equal(0, exit);
            Assert.Contains("pg_dump", output);
            Assert.Contains("pg_restore", output);
            Assert.False(File.Exists(file), "PostgreSQL is backed up with pg_dump, not by this command");
            return;
        }
        Assert.True(exit == 0, error);
        File.Delete(file);

        var tenant = await app.NewTenantAsync();
        for (var i = 0; i < 30; i++) await tenant.ContactAsync($"before-{i}", email: $"before{i}@example.com");
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) await tenant.ContactAsync($"during-{written++}", email: $"during{written}@example.com");
        });
        while (written < 5) await Task.Delay(10); // the writer is under way

        (exit, output, error) = await CliAsync("backup", "--to", file);
        var afterBackup = written;
        while (written < afterBackup + 5) await Task.Delay(10); // and writes on after it
        await stop.CancelAsync();
        await writer;

        Assert.True(exit == 0, error);
        Assert.Contains(file, output);
        var backedUp = await ContactsAsync($"Data Source={file};Pooling=False", tenant.CompanyId);
        var live = await ContactsAsync(app.ConnectionString, tenant.CompanyId);
        Assert.Equal("ok", await ScalarAsync($"Data Source={file};Pooling=False", "PRAGMA integrity_check"));
        Assert.InRange(backedUp.Count, 30 + 1, live.Count - 1); // some of the writes made during it, not those after
        // Every row of the backup's moment, exactly as the live database has it: a prefix of the same rows.
        Assert.Equal(live.Take(backedUp.Count), backedUp);

        // A fresh server on the backup (a restore) serves its rows through the API, with the same token.
        var restoredFile = Path.Combine(app.Folder, $"restored-{Guid.NewGuid():N}.db");
        File.Copy(file, restoredFile);
        await using var restored = new RestoredApp($"Data Source={restoredFile}");
        await restored.InitializeAsync();
        var client = restored.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tenant.Token);
        var listed = await (await client.GetAsync("/partner/v2/contacts?limit=100")).ExpectAsync(System.Net.HttpStatusCode.OK);
        Assert.Equal(backedUp.Count, listed["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task ABackupNeverOverwritesAFile()
    {
        var file = Path.Combine(app.Folder, $"existing-{Guid.NewGuid():N}.db");
        await File.WriteAllTextAsync(file, "an older backup");

        var (exit, output, error) = await CliAsync("backup", "--to", file);

        if (CasewireApp.OnPostgres) Assert.Contains("pg_dump", output); // advice only: it writes no file
        else
        {
            Assert.NotEqual(0, exit);
            Assert.Contains("exists already", error);
        }
        Assert.Equal("an older backup", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task ARestoreIsRefusedWhileAServerHoldsTheDatabaseAndChangesNothing()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("held-1", email: "held1@example.com");
        var file = Path.Combine(app.Folder, $"backup-{Guid.NewGuid():N}.db");
        var (exit, output, error) = await CliAsync("backup", "--to", file);
        Assert.True(exit == 0, error);
        if (CasewireApp.OnPostgres)
        {
            (exit, output, _) = await CliAsync("restore", "--from", file);
            Assert.Equal(0, exit);
            Assert.Contains("pg_restore", output);
            return;
        }
        await tenant.ContactAsync("held-2", email: "held2@example.com"); // after the backup's moment
        var before = await ContactsAsync(app.ConnectionString, tenant.CompanyId);

        (exit, output, error) = await CliAsync("restore", "--from", file);

        Assert.Equal(1, exit);
        Assert.Contains("server is running", error);
        Assert.Equal("", output);
        Assert.Equal(before, await ContactsAsync(app.ConnectionString, tenant.CompanyId));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(app.SqliteFile)!, "*.before-restore-*"));
    }

    [Fact]
    public async Task ARestorePutsTheBackupsMomentInPlaceKeepsTheReplacedDatabaseAndItsPortalLinksStillOpen()
    {
        if (CasewireApp.OnPostgres) return; // PostgreSQL restores with pg_restore: ARestoreIsRefused… checks the advice
        var tenant = await app.NewTenantAsync();
        for (var i = 0; i < 20; i++) await tenant.ContactAsync($"kept-{i}", email: $"kept{i}@example.com");
        var ann = await tenant.ContactAsync("ann", phone: PartnerSetup.UniqueNumber());
        var project = await tenant.ProjectAsync("restored-case", ["ann"], name: "Lee v. Harbor Freight");
        var portal = await app.PortalPathAsync(tenant.CompanyId, project, ann);
        var file = Path.Combine(app.Folder, $"backup-{Guid.NewGuid():N}.db");
        var (exit, _, error) = await CliAsync("backup", "--to", file);
        Assert.True(exit == 0, error);
        var backedUp = await ContactsAsync($"Data Source={file};Pooling=False", tenant.CompanyId);

        // The machine a restore runs on: its database is another one (a dead disk's replacement), no server on it.
        var folder = Path.Combine(app.Folder, $"restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, "casewire.db");
        await using (var other = new SqliteConnection($"Data Source={target};Pooling=False"))
        {
            await other.OpenAsync();
            await using var create = other.CreateCommand();
            create.CommandText = "CREATE TABLE \"Replaced\" (\"Value\" TEXT); INSERT INTO \"Replaced\" VALUES ('the database before');";
            await create.ExecuteNonQueryAsync();
        }
        var migrations = await app.WithDbAsync(db => Task.FromResult(db.Database.GetMigrations().ToHashSet()));

        var restored = await BackupCommands.RestoreSqliteAsync($"Data Source={target}", file, migrations, app.Time.GetUtcNow(), default);

        Assert.Equal(target, restored.Database);
        Assert.Equal(migrations.Count, restored.Migrations);
        Assert.Equal("the database before", await ScalarAsync($"Data Source={restored.KeptAside};Pooling=False", "SELECT \"Value\" FROM \"Replaced\""));
        Assert.Equal(backedUp, await ContactsAsync($"Data Source={target};Pooling=False", tenant.CompanyId)); // every row, same content
        Assert.Equal("ok", await ScalarAsync($"Data Source={target};Pooling=False", "PRAGMA integrity_check"));

        // A server on the restored database: the CMS's token works and the client's link (signed with the key ring
        // that travelled in the database) still opens their case.
        await using var server = new RestoredApp($"Data Source={target}");
        await server.InitializeAsync();
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tenant.Token);
        var listed = await (await client.GetAsync("/partner/v2/contacts?limit=100")).ExpectAsync(System.Net.HttpStatusCode.OK);
        Assert.Equal(backedUp.Count, listed["items"]!.AsArray().Count);
        var page = await server.CreateClient().GetAsync(portal);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Lee v. Harbor Freight", await page.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("not a database at all")]
    [InlineData("an empty SQLite database")]
    [InlineData("a database from a newer release")]
    public async Task ARestoreRefusesAFileThatIsNotASoundCasewireBackupOfThisReleaseOrOlder(string kind)
    {
        if (CasewireApp.OnPostgres) return; // pg_restore checks its own archives
        var folder = Path.Combine(app.Folder, $"refuse-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "backup.db");
        var migrations = await app.WithDbAsync(db => Task.FromResult(db.Database.GetMigrations().ToHashSet()));
        switch (kind)
        {
            case "not a database at all":
                await File.WriteAllTextAsync(file, "PK\u0003\u0004 a zip someone renamed");
                break;
            case "an empty SQLite database":
                await ScalarAsync($"Data Source={file};Pooling=False", "CREATE TABLE \"Other\" (\"X\" TEXT); SELECT 'ok'");
                break;
            default:
                var (exit, _, error) = await CliAsync("backup", "--to", file);
                Assert.True(exit == 0, error);
                await ScalarAsync($"Data Source={file};Pooling=False",
                    "INSERT INTO \"__EFMigrationsHistory\" VALUES ('29991231000000_FromTheFuture', '99.0.0'); SELECT 'ok'");
                break;
        }
        var target = Path.Combine(folder, "casewire.db");
        await ScalarAsync($"Data Source={target};Pooling=False", "CREATE TABLE \"Live\" (\"X\" TEXT); INSERT INTO \"Live\" VALUES ('untouched'); SELECT 'ok'");

        var refusal = await Assert.ThrowsAsync<CliError>(() =>
            BackupCommands.RestoreSqliteAsync($"Data Source={target}", file, migrations, app.Time.GetUtcNow(), default));

        Assert.StartsWith("--from:", refusal.Message);
        Assert.Contains(kind == "a database from a newer release" ? "newer Casewire" : "not a Casewire", refusal.Message);
        Assert.Equal("untouched", await ScalarAsync($"Data Source={target};Pooling=False", "SELECT \"X\" FROM \"Live\""));
        Assert.Empty(Directory.GetFiles(folder, "*.before-restore-*"));
    }

    static async Task<List<string>> ContactsAsync(string connectionString, int companyId)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Id\" || '|' || \"ExternalId\" || '|' || COALESCE(\"Email\", '') || '|' || COALESCE(\"Phone\", '') FROM \"Contacts\" WHERE \"CompanyId\" = $c ORDER BY \"Id\"";
        command.Parameters.AddWithValue("$c", companyId);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync();
    }
}
