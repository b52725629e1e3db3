using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery;

/// <summary>
/// Claiming outbox items for one dispatcher (DESIGN.md). One statement per claim: PostgreSQL skips
/// rows other instances hold (<c>FOR UPDATE SKIP LOCKED</c>); SQLite has one writer, so a single
/// <c>UPDATE … RETURNING</c> is already exclusive. Claimed items come back tracked.
/// </summary>
public static class Leases
{
    /// <summary>Leases up to <paramref name="limit"/> pending items whose time has come, earliest first.</summary>
    /// <remarks>The claim counts the attempt it starts (<c>Attempts + 1</c>); items not sent after all give it back.</remarks>
    public static Task<List<OutboxItem>> ClaimDueAsync(
        CasewireDb db, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        ClaimAsync(db, "Pending", "AvailableAt", owner, now, leaseUntil, limit, ct, countAttempt: true);

    /// <summary>A cheap read: is any lease past its expiry? (Claiming them is a write, so ask first.)</summary>
    public static Task<bool> AnyExpiredAsync(CasewireDb db, DateTimeOffset now, CancellationToken ct) =>
        db.OutboxItems.AnyAsync(o => o.Status == DeliveryStatus.Sending && o.LeaseExpiresAt <= now, ct);

    /// <summary>Leases items whose previous holder's lease ran out (it died or hung mid-send), for reconciliation.</summary>
    public static Task<List<OutboxItem>> ClaimExpiredAsync(
        CasewireDb db, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        ClaimAsync(db, "Sending", "LeaseExpiresAt", owner, now, leaseUntil, limit, ct);

    /// <summary>The earliest instant at which something will need the dispatcher, or null when nothing is waiting.</summary>
    public static async Task<DateTimeOffset?> NextWakeAsync(CasewireDb db, CancellationToken ct)
    {
        var due = await db.OutboxItems.Where(o => o.Status == DeliveryStatus.Pending)
            .OrderBy(o => o.AvailableAt).Select(o => (DateTimeOffset?)o.AvailableAt).FirstOrDefaultAsync(ct);
        var lease = await db.OutboxItems.Where(o => o.Status == DeliveryStatus.Sending)
            .OrderBy(o => o.LeaseExpiresAt).Select(o => o.LeaseExpiresAt).FirstOrDefaultAsync(ct);
        return due is null ? lease : lease is null ? due : due < lease ? due : lease;
    }

    static Task<List<OutboxItem>> ClaimAsync(
        CasewireDb db, string status, string orderColumn, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit,
        CancellationToken ct, bool countAttempt = false)
    {
        var attempts = countAttempt ? "\"Attempts\" + 1" : "\"Attempts\"";
        var sqlite = db.Database.IsSqlite();
        object Instant(DateTimeOffset t) => sqlite ? t.ToUnixTimeMilliseconds() : t.ToUniversalTime();
        // The status and column names are constants of this class, never input.
        var sql = sqlite
            ? $$"""
               UPDATE "OutboxItems" SET "Status" = 'Sending', "LeaseOwner" = {0}, "LeaseExpiresAt" = {1}, "Attempts" = {{attempts}}
               WHERE "Id" IN (SELECT "Id" FROM "OutboxItems" WHERE "Status" = '{{status}}' AND "{{orderColumn}}" <= {2}
                              ORDER BY "{{orderColumn}}" LIMIT {3})
               RETURNING *
               """
            : $$"""
               UPDATE "OutboxItems" AS o SET "Status" = 'Sending', "LeaseOwner" = {0}, "LeaseExpiresAt" = {1}, "Attempts" = o.{{attempts}}
               FROM (SELECT "Id" FROM "OutboxItems" WHERE "Status" = '{{status}}' AND "{{orderColumn}}" <= {2}
                     ORDER BY "{{orderColumn}}" LIMIT {3} FOR UPDATE SKIP LOCKED) AS due
               WHERE o."Id" = due."Id"
               RETURNING o.*
               """;
        return db.OutboxItems.FromSqlRaw(sql, owner, Instant(leaseUntil), Instant(now), limit).AsTracking().ToListAsync(ct);
    }
}
