using Microsoft.EntityFrameworkCore;

namespace Casewire.Data;

/// <summary>
/// Making company sender numbers unique (SPEC §9, §11) on an installation that already holds duplicates: the company
/// that claimed a number first (the lowest id) keeps it, the later claims are cleared — and logged, by name, before the
/// migration runs, so the operator can tell those firms to set a number of their own.
/// </summary>
static class UniqueSenderNumbers
{
    /// <summary>The migration that adds the unique index.</summary>
    public const string Migration = "UniqueSenderNumbersAndShortLinks";

    /// <summary>Clears every claim of a number that an older company holds (the same SQL on SQLite and PostgreSQL).</summary>
    public const string ClearLaterClaims = """
        UPDATE "Companies" SET "SenderNumber" = NULL
        WHERE "SenderNumber" IS NOT NULL
          AND EXISTS (SELECT 1 FROM "Companies" AS "First" WHERE "First"."SenderNumber" = "Companies"."SenderNumber" AND "First"."Id" < "Companies"."Id")
        """;

    /// <summary>A company whose number the migration will clear, and the company that keeps it.</summary>
    public sealed record LaterClaim(string Slug, string SenderNumber, string KeptBy);

    /// <summary>Logs, as warnings, the claims the pending migration will clear; nothing when it has run already.</summary>
    public static async Task LogLaterClaimsAsync(CasewireDb db, ILogger logger, CancellationToken ct)
    {
        if (!(await db.Database.GetPendingMigrationsAsync(ct)).Any(m => m.EndsWith("_" + Migration, StringComparison.Ordinal))) return;
        if (!(await db.Database.GetAppliedMigrationsAsync(ct)).Any()) return; // a new database has no companies
        var claims = await db.Database.SqlQueryRaw<LaterClaim>("""
            SELECT "Later"."Slug" AS "Slug", "Later"."SenderNumber" AS "SenderNumber", "First"."Slug" AS "KeptBy"
            FROM "Companies" AS "Later"
            JOIN "Companies" AS "First" ON "First"."SenderNumber" = "Later"."SenderNumber"
             AND "First"."Id" = (SELECT MIN("Id") FROM "Companies" AS "Any" WHERE "Any"."SenderNumber" = "Later"."SenderNumber")
            WHERE "Later"."Id" <> "First"."Id"
            ORDER BY "Later"."Id"
            """).ToListAsync(ct);
        foreach (var claim in claims)
            logger.LogWarning(
                "Company {Slug} no longer has sender number {SenderNumber}: company {KeptBy} claimed it first, and a number belongs to one company " +
                "(SPEC §9). It texts from Twilio:From until its admin sets a number of its own in Settings.",
                claim.Slug, claim.SenderNumber, claim.KeptBy);
    }
}
