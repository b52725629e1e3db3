using Casewire.Data;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

/// <summary>
/// Race-safe create-or-update (DESIGN.md): read, insert or update, save; when the save loses a race
/// on a unique key (two concurrent first PUTs), forget what was tracked and run it again, which now
/// finds the winner's row and updates it. The loser answers 200, never 500, and no duplicate exists.
/// </summary>
public static class Upsert
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
}
