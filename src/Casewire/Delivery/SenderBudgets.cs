using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery;

/// <summary>
/// Messages-per-second budget per sender number (SPEC §7), held across every instance on one database
/// (SPEC §10): a <see cref="SenderBudget"/> row per number holds the earliest instant its next text may
/// leave, and each text sent moves it on by 1/N of a second. A round takes the slots of all its senders in one
/// short transaction that locks their rows, so two instances never hand out the same slot. Texts get no
/// burst: at most one per 1/N of a second, so no one-second window holds more than N. Items over budget
/// are not failed but put back with the time their turn comes.
/// </summary>
static class SenderBudgets
{
    /// <summary>
    /// What the instants written round off (Unix milliseconds on SQLite): a slot that falls due within it of now is
    /// due now. The stored slot is rounded up, so the budget never drifts faster over many texts.
    /// </summary>
    static readonly TimeSpan Precision = TimeSpan.FromMilliseconds(1);

    /// <summary>What a round may send from one number now, and when the rest may follow.</summary>
    public sealed record Slots(int Granted, DateTimeOffset NextFree);

    /// <summary>
    /// Takes up to <c>Wanted</c> send slots at <paramref name="now"/> for each sender in <paramref name="wanted"/>,
    /// at <c>PerSecond</c> texts a second.
    /// </summary>
    public static async Task<Dictionary<string, Slots>> TakeAsync(
        CasewireDb db, IReadOnlyDictionary<string, (int Wanted, double PerSecond)> wanted, DateTimeOffset now, CancellationToken ct)
    {
        var slots = new Dictionary<string, Slots>();
        if (wanted.Count == 0) return slots;
        var sqlite = db.Database.IsSqlite();
        var senders = wanted.Keys.Order(StringComparer.Ordinal).ToList(); // one lock order for every instance: no deadlock
        var at = SqlInstants.Parameter(now, sqlite);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // A number not seen before starts with its budget free now.
        List<object> parameters = [at, .. senders];
        // Placeholders only ({n}); every value is a parameter.
        var insert = $"""
                      INSERT INTO "SenderBudgets" ("Sender", "NextFreeAt") VALUES {string.Join(", ", senders.Select((_, i) => $"({{{i + 1}}}, {{0}})"))}
                      ON CONFLICT ("Sender") DO NOTHING
                      """;
        await db.Database.ExecuteSqlRawAsync(insert, parameters, ct);
        var select = $"""SELECT * FROM "SenderBudgets" WHERE "Sender" IN ({string.Join(", ", senders.Select((_, i) => $"{{{i}}}"))}) ORDER BY "Sender" """
                     + (sqlite ? "" : " FOR UPDATE");
        var budgets = await db.SenderBudgets.FromSqlRaw(select, [.. senders]).AsNoTracking().ToListAsync(ct);
        var cases = new List<string>();
        parameters = [];
        foreach (var budget in budgets)
        {
            var (count, perSecond) = wanted[budget.Sender];
            var each = TimeSpan.FromSeconds(1 / perSecond);
            var next = budget.NextFreeAt > now ? budget.NextFreeAt : now;
            var granted = 0;
            for (; granted < count && next - now < Precision; granted++) next += each;
            slots[budget.Sender] = new Slots(granted, next);
            cases.Add($"WHEN {{{parameters.Count}}} THEN {{{parameters.Count + 1}}}");
            parameters.Add(budget.Sender);
            parameters.Add(SqlInstants.Parameter(UpToMillisecond(next), sqlite));
        }
        // Written with SQL, not SaveChanges: the round's context holds its claimed items, saved with their outcomes.
        var update = $"""
                      UPDATE "SenderBudgets" SET "NextFreeAt" = CASE "Sender" {string.Join(" ", cases)} END
                      WHERE "Sender" IN ({string.Join(", ", cases.Select((_, i) => $"{{{2 * i}}}"))})
                      """;
        await db.Database.ExecuteSqlRawAsync(update, parameters, ct);
        await transaction.CommitAsync(ct);
        return slots;
    }

    /// <summary>Rounded up to SQLite's precision (Unix milliseconds), so storing it never moves a slot earlier.</summary>
    static DateTimeOffset UpToMillisecond(DateTimeOffset at) =>
        at.Ticks % TimeSpan.TicksPerMillisecond == 0 ? at : at.AddTicks(TimeSpan.TicksPerMillisecond - at.Ticks % TimeSpan.TicksPerMillisecond);
}
