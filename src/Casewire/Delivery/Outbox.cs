using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery;

/// <summary>
/// The one way anything is scheduled to leave Casewire (DESIGN.md). Every method only adds or
/// changes tracked rows: they are committed by the caller's <c>SaveChanges</c>, in the same
/// transaction as the change that caused them.
/// </summary>
sealed class Outbox(CasewireDb db, TimeProvider time)
{
    /// <summary>Adds an item due at <see cref="OutboxItem.DueAt"/> (now when left default).</summary>
    public OutboxItem Enqueue(OutboxItem item)
    {
        Prepare(item, time.GetUtcNow());
        db.OutboxItems.Add(item);
        db.OutboxWritten.Add(item.Channel); // wakes the channel's lane once this commits (OutboxWriteInterceptor)
        return item;
    }

    /// <summary>
    /// Writes many items at once (a mass message's thousands), one statement per chunk rather than a tracked entity each,
    /// inside the caller's transaction: written now, committed with it. The items are not tracked.
    /// </summary>
    public async Task EnqueueManyAsync(IReadOnlyList<OutboxItem> items, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var item in items) Prepare(item, now);
        await BulkInserts.InsertAsync(db, items, ct);
        foreach (var item in items) db.OutboxWritten.Add(item.Channel);
    }

    static void Prepare(OutboxItem item, DateTimeOffset now)
    {
        if (item.DueAt == default) item.DueAt = now;
        item.AvailableAt = item.DueAt;
        item.CreatedAt = now;
        if (item.Channel == Channel.Sms) item.Segments = SmsSegments.Count(item.Body);
    }

    /// <summary>Cancels the pending items of a coalescing key (e.g. a canceled event's reminders).</summary>
    public Task<List<OutboxItem>> CancelAsync(int companyId, string coalescingKey, CancellationToken ct) =>
        EndPendingAsync(companyId, coalescingKey, DeliveryStatus.Canceled, ct);

    /// <summary>Cancels the pending items of every key that starts with <paramref name="keyPrefix"/> (e.g. a project's drips, <c>project:7:drip:</c>).</summary>
    public async Task<List<OutboxItem>> CancelStartingWithAsync(int companyId, string keyPrefix, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        var now = time.GetUtcNow();
        var pending = await db.OutboxItems
            .ForCompany(companyId).Where(o => o.CoalescingKey!.StartsWith(keyPrefix)
                                              && (o.Status == DeliveryStatus.Pending || (o.Status == DeliveryStatus.Sending && o.AvailableAt > now)))
            .ToListAsync(ct);
        foreach (var item in pending) item.End(DeliveryStatus.Canceled, now);
        return pending;
    }

    /// <summary>Replaces the pending items of <paramref name="item"/>'s coalescing key by it: only the latest is sent.</summary>
    public async Task<OutboxItem> SupersedeAsync(OutboxItem item, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(item.CoalescingKey);
        await EndPendingAsync(item.CompanyId, item.CoalescingKey, DeliveryStatus.Superseded, ct);
        return Enqueue(item);
    }

    /// <summary>
    /// The pending items of a key, tracked, for callers that need to look before they change — with those a burst round
    /// claimed ahead of their instant (sending, available later than now), which a request may still end.
    /// </summary>
    public Task<List<OutboxItem>> PendingAsync(int companyId, string coalescingKey, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return db.OutboxItems.ForCompany(companyId)
            .Where(o => o.CoalescingKey == coalescingKey
                        && (o.Status == DeliveryStatus.Pending || (o.Status == DeliveryStatus.Sending && o.AvailableAt > now)))
            .ToListAsync(ct);
    }

    async Task<List<OutboxItem>> EndPendingAsync(int companyId, string coalescingKey, DeliveryStatus status, CancellationToken ct)
    {
        var pending = await PendingAsync(companyId, coalescingKey, ct);
        var now = time.GetUtcNow();
        foreach (var item in pending) item.End(status, now);
        return pending;
    }
}
