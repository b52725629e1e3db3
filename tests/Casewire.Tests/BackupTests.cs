using Casewire.Cli;
using Casewire.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

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

    static async Task<List<string>> ContactsAsync(string connectionString, int companyId)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Id\" || '|' || \"ExternalId\" || '|' || \"Email\" FROM \"Contacts\" WHERE \"CompanyId\" = $c ORDER BY \"Id\"";
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
