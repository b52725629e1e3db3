using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery.Webhooks;

/// <summary>
/// <c>message.status_changed</c> and <c>reminder.sent</c>: raised where a delivery of a message
/// changes its public status (<see cref="DeliveryStatusNames.PublicName"/>) — by the dispatcher (sent, failed,
/// suppressed, expired) and by the provider's status callbacks (delivered, failed) — in the same
/// save as that change. Retries keep a delivery "queued" and raise nothing.
/// </summary>
sealed partial class WebhookEvents
{
    /// <summary>The statuses integrators are told of; queued, canceled and superseded are Casewire's own business.</summary>
    static bool IsReported(DeliveryStatus status) =>
        status is DeliveryStatus.Sent or DeliveryStatus.Delivered or DeliveryStatus.Failed or DeliveryStatus.Suppressed or DeliveryStatus.Expired;

    /// <summary>Raises the events of every message delivery whose status this unit of work changed (the dispatcher calls it before saving a round).</summary>
    public Task RaiseDeliveryChangesAsync(CancellationToken ct) => DeliveriesChangedAsync(db.ChangeTracker.Entries<OutboxItem>()
        .Where(e => e.State == EntityState.Modified)
        .Select(e => (e.Entity, Before: e.OriginalValues.GetValue<DeliveryStatus>(nameof(OutboxItem.Status))))
        .ToList(), ct);

    /// <summary>A status callback moved delivery <paramref name="deliveryId"/> on from <paramref name="before"/> (it reads the row as updated).</summary>
    public async Task DeliveryChangedAsync(long deliveryId, DeliveryStatus before, CancellationToken ct)
    {
        var item = await db.OutboxItems.AsNoTracking().FirstOrDefaultAsync(o => o.Id == deliveryId, ct);
        if (item is not null) await DeliveriesChangedAsync([(item, before)], ct);
    }

    async Task DeliveriesChangedAsync(List<(OutboxItem Item, DeliveryStatus Before)> changes, CancellationToken ct)
    {
        changes = changes.Where(c => c.Item.Channel != Channel.Webhook && c.Item.MessageId is not null && IsReported(c.Item.Status)
                                     && c.Item.Status.PublicName() != c.Before.PublicName()).ToList();
        if (changes.Count == 0) return;
        await LoadSubscribersAsync(changes.Select(c => c.Item.CompanyId).ToList(), ct);
        changes = changes.Where(c => _subscribers[c.Item.CompanyId].Any(e =>
            WebhookEventTypes.Matches(e.Events, WebhookEventTypes.MessageStatusChanged)
            || (c.Item.Status == DeliveryStatus.Sent && WebhookEventTypes.Matches(e.Events, WebhookEventTypes.ReminderSent)))).ToList();
        if (changes.Count == 0) return; // the usual case: nobody listens

        var refs = await ReferencesAsync(changes.Select(c => c.Item).ToList(), ct);
        foreach (var (item, before) in changes)
        {
            var message = refs.Messages[item.MessageId!.Value];
            var contact = item.ContactId is { } c ? refs.Contacts.GetValueOrDefault(c) : null;
            var member = item.TeamMemberId is { } t ? refs.TeamMembers.GetValueOrDefault(t) : null;
            var channel = item.Channel.ToString().ToLowerInvariant();
            await RaiseAsync(item.CompanyId, WebhookEventTypes.MessageStatusChanged, new WebhookPayloads.DeliveryStatusChanged(
                message.Id, item.Id, message.Kind.PublicName(), message.ProjectId, channel, item.To, contact, member,
                item.Status.PublicName(), before.PublicName(), item.ProviderMessageId, item.ErrorCode, item.ErrorMessage,
                item.SentAt, item.DeliveredAt), ct);
            if (item.Status == DeliveryStatus.Sent && refs.Reminders.GetValueOrDefault(message.Id) is { } reminder)
                await RaiseAsync(item.CompanyId, WebhookEventTypes.ReminderSent, new WebhookPayloads.ReminderSent(
                    reminder.EventId, message.ProjectId, reminder.Title, reminder.StartAt,
                    new WebhookPayloads.ReminderRef(reminder.Unit.ToString().ToLowerInvariant(), reminder.Amount, reminder.SendAt),
                    message.Id, item.Id, channel, item.To, contact, member, item.SentAt), ct);
        }
    }

    sealed record MessageRef(int Id, MessageKind Kind, string? ProjectId);
    sealed record ReminderRef(int MessageId, string EventId, string Title, DateTimeOffset StartAt, ReminderUnit Unit, int Amount, DateTimeOffset SendAt);
    sealed record References(
        Dictionary<int, MessageRef> Messages, Dictionary<int, string> Contacts, Dictionary<int, string> TeamMembers, Dictionary<int, ReminderRef> Reminders);

    /// <summary>What the payloads name, read in one query per kind for the whole round.</summary>
    async Task<References> ReferencesAsync(List<OutboxItem> items, CancellationToken ct)
    {
        var messageIds = items.Select(i => i.MessageId!.Value).Distinct().ToList();
        var messages = await db.Messages.AsNoTracking().Where(m => messageIds.Contains(m.Id))
            .Select(m => new MessageRef(m.Id, m.Kind, db.Projects.Where(p => p.Id == m.ProjectId).Select(p => p.ExternalId).FirstOrDefault()))
            .ToDictionaryAsync(m => m.Id, ct);
        var contactIds = items.Where(i => i.ContactId is not null).Select(i => i.ContactId!.Value).Distinct().ToList();
        var contacts = contactIds.Count == 0 ? [] : await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.ExternalId, ct);
        var memberIds = items.Where(i => i.TeamMemberId is not null).Select(i => i.TeamMemberId!.Value).Distinct().ToList();
        var members = memberIds.Count == 0 ? [] : await db.TeamMembers.AsNoTracking().Where(t => memberIds.Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => t.ExternalId, ct);
        var reminderMessages = messages.Values.Where(m => m.Kind == MessageKind.Reminder).Select(m => m.Id).ToList();
        var reminders = reminderMessages.Count == 0 ? [] : await (
                from r in db.Reminders.AsNoTracking()
                join e in db.CalendarEvents.AsNoTracking() on r.EventId equals e.Id
                where r.MessageId != null && reminderMessages.Contains(r.MessageId.Value)
                select new ReminderRef(r.MessageId!.Value, e.ExternalId, e.Title, e.StartAt, r.Unit, r.Amount, r.SendAt))
            .ToDictionaryAsync(r => r.MessageId, ct);
        return new References(messages, contacts, members, reminders);
    }
}
