using Casewire.Model;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery.Webhooks;

/// <summary>
/// <c>mass_message.completed</c> (SPEC §12): raised once, when the last of a mass message's deliveries leaves the
/// queue — sent, failed, suppressed, expired or canceled (a text's later delivered/failed callback does not hold
/// it back: a provider may never send one). Checked by every unit of work that finishes deliveries, in the same
/// save; the mass message's <see cref="MassMessage.CompletedAt"/> is set by a conditional update, so two instances
/// finishing its last items at once raise it once (and <see cref="Housekeeping"/> completes one both missed).
/// </summary>
sealed partial class WebhookEvents
{
    /// <summary>Completes the mass messages whose deliveries this unit of work took out of the queue (the dispatcher, before saving a round).</summary>
    public Task RaiseMassMessageCompletionsAsync(CancellationToken ct)
    {
        var finishing = db.ChangeTracker.Entries<OutboxItem>()
            .Where(e => e.Entity.MassMessageId is not null && e.State == EntityState.Modified && !MassMessage.IsOutstanding(e.Entity.Status))
            .Select(e => e.Entity).ToList();
        return finishing.Count == 0
            ? Task.CompletedTask
            : CompleteMassMessagesAsync(finishing.Select(i => i.MassMessageId!.Value).Distinct().ToList(), finishing, ct);
    }

    /// <summary>
    /// Completes each of <paramref name="ids"/> with nothing left in the queue, counting <paramref name="finishing"/> (tracked
    /// items this unit of work is about to save) by their new status, and raises the event for each.
    /// </summary>
    public async Task<int> CompleteMassMessagesAsync(IReadOnlyCollection<int> ids, IReadOnlyCollection<OutboxItem> finishing, CancellationToken ct)
    {
        var completed = 0;
        var finishingIds = finishing.Select(i => i.Id).ToList();
        foreach (var id in ids)
        {
            var outstanding = await db.OutboxItems.AnyAsync(o => o.MassMessageId == id && !finishingIds.Contains(o.Id)
                && (o.Status == DeliveryStatus.Pending || o.Status == DeliveryStatus.Sending), ct);
            if (outstanding) continue;
            var now = time.GetUtcNow().TruncateToMilliseconds();
            if (await db.MassMessages.Where(m => m.Id == id && m.CompletedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.CompletedAt, now), ct) == 0)
                continue;
            completed++;
            var mass = await db.MassMessages.AsNoTracking().SingleAsync(m => m.Id == id, ct);
            if (!await IsWantedAsync(mass.CompanyId, WebhookEventTypes.MassMessageCompleted, ct)) continue;
            var stored = await db.OutboxItems.AsNoTracking().Where(o => o.MassMessageId == id && !finishingIds.Contains(o.Id))
                .GroupBy(o => o.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
            var counts = MassMessage.CountedStatuses.ToDictionary(s => s, _ => 0);
            foreach (var row in stored) counts[MassMessage.CountedAs(row.Status)] += row.Count;
            foreach (var item in finishing.Where(i => i.MassMessageId == id)) counts[MassMessage.CountedAs(item.Status)]++;
            await RaiseAsync(mass.CompanyId, WebhookEventTypes.MassMessageCompleted, new WebhookPayloads.MassMessageCompleted(
                mass.Id, mass.CanceledAt is null ? "completed" : "canceled", mass.Recipients,
                new WebhookPayloads.MassMessageSkipped(mass.SkippedOptedOut, mass.SkippedUnreachable, mass.SkippedDuplicate),
                counts, mass.SendAt, now), ct);
        }
        return completed;
    }

    /// <summary>Mass messages left incomplete with nothing in the queue (two instances finished their last items at once).</summary>
    public async Task<int> CompleteStrandedMassMessagesAsync(CancellationToken ct)
    {
        var stranded = await db.MassMessages.Where(m => m.CompletedAt == null
                && !db.OutboxItems.Any(o => o.MassMessageId == m.Id && (o.Status == DeliveryStatus.Pending || o.Status == DeliveryStatus.Sending)))
            .Select(m => m.Id).Take(100).ToListAsync(ct);
        return stranded.Count == 0 ? 0 : await CompleteMassMessagesAsync(stranded, [], ct);
    }
}
