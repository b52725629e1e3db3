using Microsoft.Data.Sqlite;

namespace Casewire.Data;

/// <summary>
/// While a server runs on a SQLite file it holds a shared advisory lock on that file (.NET's <see cref="FileShare"/>
/// on Unix is <c>flock</c>), so <c>casewire restore</c> — which takes the lock exclusively — refuses to replace a
/// database under a running server. Several servers on one file (tests, a rolling restart) share the lock; SQLite's
/// own locks are <c>fcntl</c> locks and do not see this one.
/// </summary>
sealed class ServerHold(string databaseFile) : IHostedService, IDisposable
{
    FileStream? _hold;

    /// <summary>The database file of a SQLite connection string; null for an in-memory database.</summary>
    public static string? DatabaseFile(string connectionString)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        return csb.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(csb.DataSource) || csb.DataSource == ":memory:"
            ? null
            : Path.GetFullPath(csb.DataSource);
    }

    /// <summary>Takes the file for a restore: null when a server holds it, else a handle to keep until the restore is done.</summary>
    public static FileStream? TryTakeExclusively(string databaseFile)
    {
        try
        {
            return new FileStream(databaseFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    // After the migrator (registered first), which has created the file.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _hold = new FileStream(databaseFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _hold?.Dispose();
        _hold = null;
    }
}
