using Casewire.Data;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

/// <summary>
/// Race-safe create-or-update (DESIGN.md): read, insert or update, save; when the save loses a race
/// on a unique key (two concurrent first PUTs), forget what was tracked and run it again, which now
/// finds the winner's row and updates it. The loser answers 200, never 500, and no duplicate exists.
/// </summary>
static class Upsert
{
    const int Attempts = 5;

    public static async Task<T> WithRetryAsync<T>(CasewireDb db, Func<Task<T>> operation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation();
            }
            catch (DbUpdateException e) when (attempt < Attempts && DbErrors.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// The same, for an operation of several saves that must commit together: in its own transaction,
    /// or — when the caller already holds one (an Idempotency-Key) — behind a savepoint, so a lost race
    /// rolls back only this operation's work.
    /// </summary>
    public static async Task<T> InTransactionWithRetryAsync<T>(CasewireDb db, Func<Task<T>> operation, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outer = db.Database.CurrentTransaction;
            try
            {
                if (outer is not null)
                {
                    await outer.CreateSavepointAsync("upsert", ct);
                    return await operation();
                }
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var result = await operation();
                await transaction.CommitAsync(ct);
                return result;
            }
            catch (DbUpdateException e) when (attempt < Attempts && DbErrors.IsUniqueViolation(e))
            {
                if (outer is not null) await outer.RollbackToSavepointAsync("upsert", ct);
                db.ChangeTracker.Clear();
            }
        }
    }
}
