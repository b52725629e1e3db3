using Microsoft.EntityFrameworkCore;

namespace Casewire.Data;

/// <summary>
/// Row locks that make two concurrent writers of one row take turns (SPEC §10), inside the caller's transaction.
/// PostgreSQL (read committed) lets both read the same row and both act on what they read, so the row is locked
/// (<c>SELECT … FOR UPDATE</c>) before it is read; the second waits for the first to commit, then reads its result.
/// SQLite needs nothing: a transaction of Microsoft.Data.Sqlite starts with <c>BEGIN IMMEDIATE</c>, which already
/// holds the one write lock from before the first read.
/// </summary>
static class RowLocks
{
    /// <summary>Locks a company's project by its external id until the transaction ends; nothing when the project does not exist yet.</summary>
    public static async Task LockProjectAsync(this CasewireDb db, int companyId, string externalId, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("A row lock is held by a transaction; begin one first.");
        if (db.Database.IsSqlite()) return;
        await db.Database.ExecuteSqlAsync(
            $"""SELECT 1 FROM "Projects" WHERE "CompanyId" = {companyId} AND "ExternalId" = {externalId} FOR UPDATE""", ct);
    }

    /// <summary>Locks projects by id until the transaction ends (a case-tracker edit moving the projects waiting on a CMS name).</summary>
    public static async Task LockProjectsAsync(this CasewireDb db, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("A row lock is held by a transaction; begin one first.");
        if (db.Database.IsSqlite() || ids.Count == 0) return;
        var sorted = ids.Order().ToArray(); // one order for every locker: no deadlock between two edits
        await db.Database.ExecuteSqlAsync(
            $"""SELECT 1 FROM "Projects" WHERE "Id" = ANY({sorted}) ORDER BY "Id" FOR UPDATE""", ct);
    }
}
