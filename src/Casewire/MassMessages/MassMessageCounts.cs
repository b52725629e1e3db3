using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.MassMessages;

/// <summary>A mass message's deliveries counted by public status (SPEC §12): queued, sent, delivered, failed, canceled.</summary>
static class MassMessageCounts
{
    /// <summary>The counts of each of <paramref name="ids"/> (every status present, zero when none), in one query.</summary>
    public static async Task<Dictionary<int, Dictionary<string, int>>> OfAsync(CasewireDb db, int companyId, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        var rows = await db.OutboxItems.AsNoTracking().ForCompany(companyId)
            .Where(o => o.MassMessageId != null && ids.Contains(o.MassMessageId.Value))
            .GroupBy(o => new { Id = o.MassMessageId!.Value, o.Status })
            .Select(g => new { g.Key.Id, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        return ids.Distinct().ToDictionary(id => id, id =>
        {
            var counts = MassMessage.CountedStatuses.ToDictionary(s => s, _ => 0);
            foreach (var row in rows.Where(r => r.Id == id)) counts[MassMessage.CountedAs(row.Status)] += row.Count;
            return counts;
        });
    }
}
