using Microsoft.EntityFrameworkCore;

namespace Casewire.Data;

/// <summary>
/// A request's connection opened once for all its statements. Outside a transaction EF opens and closes the
/// connection around each statement, and on SQLite every open registers EF's SQL functions on the pooled
/// connection and every close removes them again; the write endpoints' profiles showed that pair at about as
/// much CPU as one of their statements (docs/decisions.md, "Write paths, profiled").
/// </summary>
static class HeldConnections
{
    /// <summary>Opens the context's connection until the returned handle is disposed.</summary>
    public static async Task<HeldConnection> HoldConnectionAsync(this CasewireDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return new HeldConnection(db);
    }
}

/// <summary>Closes what <see cref="HeldConnections.HoldConnectionAsync"/> opened.</summary>
readonly struct HeldConnection(CasewireDb db) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => new(db.Database.CloseConnectionAsync());
}
