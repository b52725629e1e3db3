using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery;

/// <summary>
/// Claiming outbox items for one dispatcher lane (DESIGN.md, <see cref="Lane"/>). One statement per
/// claim: PostgreSQL skips rows other instances hold (<c>FOR UPDATE SKIP LOCKED</c>); SQLite has one
/// writer, so a single <c>UPDATE … RETURNING</c> is already exclusive. Claimed items come back tracked.
/// Every claim raises the item's <see cref="OutboxItem.LeaseVersion"/>: a holder renews its leases and records
/// outcomes only where owner and version are still its own (SPEC §10), so a lease that ran out and was
/// claimed again is never written over by its late first holder.
/// </summary>
static class Leases
{
    /// <summary>Leases up to <paramref name="limit"/> pending items of <paramref name="lane"/> whose time has come, earliest first.</summary>
    /// <remarks>
    /// The claim counts the attempt it starts (<c>Attempts + 1</c>) in the same statement that leases the
    /// item: after a crash this count is the only trace of an attempt that may have reached the provider,
    /// and <see cref="ExpiredLeases"/> numbers the attempt it reconciles from it. Items not sent after all
    /// give it back (<see cref="OutboxItem.Unclaim"/>).
    /// </remarks>
    public static Task<List<OutboxItem>> ClaimDueAsync(
        CasewireDb db, Lane lane, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        ClaimAsync(db, lane, "Pending", "AvailableAt", owner, now, leaseUntil, limit, ct, countAttempt: true);

    /// <summary>A cheap read: is any lease of <paramref name="lane"/> past its expiry? (Claiming them is a write, so ask first.)</summary>
    public static Task<bool> AnyExpiredAsync(CasewireDb db, Lane lane, DateTimeOffset now, CancellationToken ct) =>
        db.OutboxItems.Where(lane.Holds).AnyAsync(o => o.Status == DeliveryStatus.Sending && o.LeaseExpiresAt <= now, ct);

    /// <summary>Leases items of <paramref name="lane"/> whose previous holder's lease ran out (it died or hung mid-send), for reconciliation.</summary>
    public static Task<List<OutboxItem>> ClaimExpiredAsync(
        CasewireDb db, Lane lane, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        ClaimAsync(db, lane, "Sending", "LeaseExpiresAt", owner, now, leaseUntil, limit, ct);

    /// <summary>How many pending items of <paramref name="lane"/> are due at exactly <paramref name="instant"/>, counted up to <paramref name="enough"/>.</summary>
    public static Task<int> CountDueAtAsync(CasewireDb db, Lane lane, DateTimeOffset instant, int enough, CancellationToken ct) =>
        db.OutboxItems.Where(lane.Holds).Where(o => o.Status == DeliveryStatus.Pending && o.AvailableAt == instant).Take(enough).CountAsync(ct);

    /// <summary>The lane's earliest pending item's time and earliest lease expiry (each null when there is none).</summary>
    public static async Task<(DateTimeOffset? Due, DateTimeOffset? Lease)> NextWakeAsync(CasewireDb db, Lane lane, CancellationToken ct)
    {
        var items = db.OutboxItems.Where(lane.Holds);
        var due = await items.Where(o => o.Status == DeliveryStatus.Pending)
            .OrderBy(o => o.AvailableAt).Select(o => (DateTimeOffset?)o.AvailableAt).FirstOrDefaultAsync(ct);
        var lease = await items.Where(o => o.Status == DeliveryStatus.Sending)
            .OrderBy(o => o.LeaseExpiresAt).Select(o => o.LeaseExpiresAt).FirstOrDefaultAsync(ct);
        return (due, lease);
    }

    static Task<List<OutboxItem>> ClaimAsync(
        CasewireDb db, Lane lane, string status, string orderColumn, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit,
        CancellationToken ct, bool countAttempt = false)
    {
        var attempts = countAttempt ? "\"Attempts\" + 1" : "\"Attempts\"";
        var sqlite = db.Database.IsSqlite();
        // The status and column names are constants of this class, the lane's condition one of Lane's: never input.
        var sql = sqlite
            ? $$"""
               UPDATE "OutboxItems" SET "Status" = 'Sending', "LeaseOwner" = {0}, "LeaseExpiresAt" = {1}, "Attempts" = {{attempts}},
                   "LeaseVersion" = "LeaseVersion" + 1
               WHERE "Id" IN (SELECT "Id" FROM "OutboxItems" WHERE "Status" = '{{status}}' AND {{lane.Sql}} AND "{{orderColumn}}" <= {2}
                              ORDER BY "{{orderColumn}}" LIMIT {3})
               RETURNING *
               """
            : $$"""
               UPDATE "OutboxItems" AS o SET "Status" = 'Sending', "LeaseOwner" = {0}, "LeaseExpiresAt" = {1}, "Attempts" = o.{{attempts}},
                   "LeaseVersion" = o."LeaseVersion" + 1
               FROM (SELECT "Id" FROM "OutboxItems" WHERE "Status" = '{{status}}' AND {{lane.Sql}} AND "{{orderColumn}}" <= {2}
                     ORDER BY "{{orderColumn}}" LIMIT {3} FOR UPDATE SKIP LOCKED) AS due
               WHERE o."Id" = due."Id"
               RETURNING o.*
               """;
        return db.OutboxItems.FromSqlRaw(sql, owner, SqlInstants.Parameter(leaseUntil, sqlite), SqlInstants.Parameter(now, sqlite), limit).AsTracking().ToListAsync(ct);
    }

    /// <summary>
    /// Moves the leases of <paramref name="items"/> that <paramref name="owner"/> still holds (same version) on to
    /// <paramref name="leaseUntil"/>; returns how many it still held. Items recorded or claimed again since are left alone.
    /// </summary>
    public static Task<int> RenewAsync(CasewireDb db, IReadOnlyCollection<OutboxItem> items, string owner, DateTimeOffset leaseUntil, CancellationToken ct)
    {
        if (items.Count == 0) return Task.FromResult(0);
        List<object> parameters = [SqlInstants.Parameter(leaseUntil, db.Database.IsSqlite())];
        var sql = """UPDATE "OutboxItems" SET "LeaseExpiresAt" = {0} WHERE """ + HeldBy(owner, items, parameters);
        return db.Database.ExecuteSqlRawAsync(sql, parameters, ct);
    }

    /// <summary>
    /// Which of <paramref name="items"/> <paramref name="owner"/> still holds (same version), locked until the caller's
    /// transaction ends, so none is claimed again before its outcome is written. Call inside that transaction.
    /// </summary>
    /// <remarks>
    /// PostgreSQL locks the rows (<c>FOR UPDATE</c>; a claim's <c>SKIP LOCKED</c> passes over them); on SQLite the
    /// transaction already holds the database's one write lock (Microsoft.Data.Sqlite begins it <c>IMMEDIATE</c>).
    /// </remarks>
    public static async Task<HashSet<long>> StillHeldAsync(CasewireDb db, IReadOnlyCollection<OutboxItem> items, string owner, CancellationToken ct)
    {
        if (items.Count == 0) return [];
        // The ids as one parameter and the versions compared here: one statement text whatever the round's size (a text
        // per size was a query for EF to compile in every round of a server not yet warm), and no parameter per item for
        // Microsoft.Data.Sqlite to look up by name in the statement (time quadratic in the round).
        var ids = items.Select(i => i.Id).ToArray();
        var rows = db.Database.IsSqlite()
            ? db.OutboxItems.Where(o => o.LeaseOwner == owner && EF.Parameter(ids).Contains(o.Id))
                .Select(o => new HeldLease { Id = o.Id, LeaseVersion = o.LeaseVersion })
            : db.Database.SqlQueryRaw<HeldLease>(
                """SELECT "Id", "LeaseVersion" FROM "OutboxItems" WHERE "LeaseOwner" = {0} AND "Id" = ANY({1}) ORDER BY "Id" FOR UPDATE""", owner, ids);
        var versions = items.ToDictionary(i => i.Id, i => i.LeaseVersion);
        return (await rows.ToListAsync(ct)).Where(r => versions[r.Id] == r.LeaseVersion).Select(r => r.Id).ToHashSet();
    }

    /// <summary>A leased item's id and lease version, as <see cref="StillHeldAsync"/> reads them.</summary>
    sealed class HeldLease
    {
        public long Id { get; init; }
        public int LeaseVersion { get; init; }
    }

    /// <summary>
    /// SQL for "held by <paramref name="owner"/> at each item's own lease version", with <c>{n}</c> placeholders
    /// for the values it appends to <paramref name="parameters"/>.
    /// </summary>
    static string HeldBy(string owner, IEnumerable<OutboxItem> items, List<object> parameters)
    {
        var ownerAt = parameters.Count;
        parameters.Add(owner);
        var pairs = new List<string>();
        foreach (var item in items)
        {
            pairs.Add($"({{{parameters.Count}}}, {{{parameters.Count + 1}}})");
            parameters.Add(item.Id);
            parameters.Add(item.LeaseVersion);
        }
        return $"\"LeaseOwner\" = {{{ownerAt}}} AND (\"Id\", \"LeaseVersion\") IN (VALUES {string.Join(", ", pairs)})";
    }
}
