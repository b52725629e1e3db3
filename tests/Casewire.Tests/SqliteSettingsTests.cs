using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>
/// SQLite's per-connection settings (busy_timeout, synchronous) hold on every connection a request gets from
/// the pool, though they are set only when a physical connection is first opened.
/// </summary>
public sealed class SqliteSettingsTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    [Fact]
    public async Task EveryOpenOfAPooledConnectionHasTheBusyTimeoutAndNormalSync()
    {
        if (CasewireApp.OnPostgres)
        {
            Assert.Skip("SQLite's pragmas; PostgreSQL has no such per-connection settings.");
            return;
        }
        for (var open = 0; open < 5; open++) // EF opens and closes the pooled connection around each statement
        {
            var (busyTimeout, synchronous) = await app.WithDbAsync(async db =>
            {
                await db.Database.OpenConnectionAsync(); // as EF opens it: through its connection interceptors
                try
                {
                    return (await PragmaAsync(db, "busy_timeout"), await PragmaAsync(db, "synchronous"));
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            });
            Assert.Equal(30000, busyTimeout);
            Assert.Equal(1, synchronous); // NORMAL
        }
    }

    static async Task<long> PragmaAsync(Casewire.Data.CasewireDb db, string pragma)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
