using Casewire.Data;
using Casewire.Delivery.Webhooks;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Delivery;

/// <summary>
/// Records what a round's provider calls came to: on each item and its attempt (sent; a retry with
/// backoff; failed for good), a carrier's opt-out, the status events they raise, and the health of the
/// webhook endpoints called. The successful texts and emails are written set-based (<see cref="SentOutcomes"/>).
/// </summary>
sealed class Outcomes(
    ChannelRouter channels, WebhookDeliveries webhooks, DeliveryMetrics metrics, IOptions<DeliveryOptions> options, ILogger<Outcomes> logger)
{
    readonly RetryPolicy _retry = new(options.Value);

    /// <summary>Records and saves the outcomes of a round's <paramref name="results"/>, finished at <paramref name="finished"/>.</summary>
    public async Task RecordAsync(CasewireDb db, WebhookEvents events, WebhookDeliveries.Round endpoints,
        IReadOnlyList<(Send Send, SendResult Result)> results, DateTimeOffset finished, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        List<Send> sends;
        // Changes are detected once, after the outcomes are applied, and once more by SaveChanges: with automatic
        // detection every look at the tracked entries (the fence, each kind of event, each item marked as written)
        // compares every claimed item's values again.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            results = await DiscardLateAsync(db, results, ct);
            foreach (var (send, result) in results)
            {
                if (Record(send.Item, send.Attempt, result, finished)) // the carrier says the number opted out
                    await OptOuts.SetAsync(db, events, send.Item.CompanyId, send.Item.To, active: true, "carrier", finished, ct);
            }
            db.ChangeTracker.DetectChanges();
            await events.RaiseDeliveryChangesAsync(ct); // message.status_changed and reminder.sent, saved with the outcomes
            await events.RaiseMassMessageCompletionsAsync(ct);

            // Each attempt's row is written once, with its outcome. The successful texts and emails (most of
            // a round) in two set-based statements; the rest — failures, retries, webhook calls — through EF.
            sends = results.Select(r => r.Send).ToList();
            var sent = sends.Where(s => s.Item.Channel != Channel.Webhook && s.Attempt.Outcome == AttemptOutcome.Sent)
                .Select(s => (s.Item, s.Attempt)).ToList();
            var recorded = sent.Select(s => s.Attempt).ToHashSet();
            db.DeliveryAttempts.AddRange(sends.Select(s => s.Attempt).Where(a => !recorded.Contains(a)));
            await SentOutcomes.RecordAsync(db, sent, finished, ct);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
        await SaveAsync(db, ct);
        await transaction.CommitAsync(ct);
        await webhooks.RecordAsync(db, endpoints, sends.Where(s => s.Item.Channel == Channel.Webhook).Select(s => (s.Item, s.Attempt)).ToList(),
            finished, ct);
    }

    /// <summary>
    /// Keeps the round's items whose lease this instance still holds, locked until the outcomes are saved; forgets
    /// the rest (SPEC §10). A lease that ran out was claimed by another instance, whose outcome is the one that
    /// counts: a late outcome is discarded, attempt and all, never written over it.
    /// </summary>
    async Task<IReadOnlyList<(Send Send, SendResult Result)>> DiscardLateAsync(CasewireDb db,
        IReadOnlyList<(Send Send, SendResult Result)> results, CancellationToken ct)
    {
        var instance = options.Value.Instance;
        var claimed = db.ChangeTracker.Entries<OutboxItem>()
            .Where(e => e.OriginalValues.GetValue<string?>(nameof(OutboxItem.LeaseOwner)) == instance).ToList();
        var held = await Leases.StillHeldAsync(db, claimed.Select(e => e.Entity).ToList(), instance, ct);
        if (held.Count == claimed.Count) return results;
        db.ChangeTracker.DetectChanges(); // which attempts a question about an earlier lost reply changed (automatic detection is off)
        foreach (var lost in claimed.Where(e => !held.Contains(e.Entity.Id)))
        {
            var item = lost.Entity;
            logger.LogWarning("Discarded the late outcome of delivery {DeliveryId} (message {MessageId}, company {CompanyId}): its lease ran out " +
                              "and another instance holds it now", item.Id, item.MessageId, item.CompanyId);
            lost.State = EntityState.Detached;
            // An answer about an earlier lost reply (AmbiguousAttempts) is the new holder's to record, too.
            foreach (var asked in db.ChangeTracker.Entries<DeliveryAttempt>().Where(a => (a.State is EntityState.Added or EntityState.Modified) && a.Entity.OutboxItemId == item.Id).ToList())
                asked.State = EntityState.Detached;
        }
        return results.Where(r => held.Contains(r.Send.Item.Id)).ToList();
    }

    /// <summary>Applies a provider's answer to the item and its attempt; true when it says the number opted out.</summary>
    bool Record(OutboxItem item, DeliveryAttempt attempt, SendResult result, DateTimeOffset now)
    {
        attempt.FinishedAt = now;
        attempt.ProviderMessageId = result.ProviderMessageId;
        attempt.ErrorCode = result.ErrorCode;
        attempt.ErrorMessage = OutboxItem.Truncate(result.ErrorMessage);
        switch (result.Outcome)
        {
            case SendOutcome.Sent:
                attempt.Outcome = AttemptOutcome.Sent;
                item.ProviderMessageId = result.ProviderMessageId;
                item.SentAt = now;
                item.ErrorCode = null;
                item.ErrorMessage = null;
                item.Finish(DeliveryStatus.Sent);
                metrics.Count(item, channels.ProviderFor(item), "sent");
                metrics.Lateness(item, attempt.StartedAt);
                logger.LogDebug("Sent delivery {DeliveryId} (message {MessageId}, company {CompanyId}) as {ProviderId}",
                    item.Id, item.MessageId, item.CompanyId, result.ProviderMessageId);
                return false;
            case SendOutcome.Transient when !_retry.ShouldGiveUp(item, now):
                attempt.Outcome = AttemptOutcome.TransientFailure;
                item.ErrorCode = result.ErrorCode;
                item.ErrorMessage = OutboxItem.Truncate(result.ErrorMessage);
                item.Release(now + RetryDelay(item, result));
                metrics.Count(item, channels.ProviderFor(item), "retrying");
                logger.LogWarning("Delivery {DeliveryId} (message {MessageId}, company {CompanyId}) failed transiently ({Code}); attempt {Attempt} of {Max}, retry at {RetryAt}",
                    item.Id, item.MessageId, item.CompanyId, result.ErrorCode, item.Attempts, options.Value.MaxAttempts, item.AvailableAt);
                return false;
            case SendOutcome.Ambiguous:
                // The provider may have it: never sent again blind, not even at the last attempt. Its next
                // claim asks the provider first and ends it, sends it or gives up (AmbiguousAttempts, SPEC §10).
                attempt.Outcome = AttemptOutcome.Ambiguous;
                item.ErrorCode = result.ErrorCode;
                item.ErrorMessage = OutboxItem.Truncate(result.ErrorMessage);
                item.Release(now + RetryDelay(item, result));
                metrics.Count(item, channels.ProviderFor(item), "ambiguous");
                logger.LogWarning("Delivery {DeliveryId} (message {MessageId}, company {CompanyId}): the provider's answer was lost ({Code}); it is asked at {AskAt}",
                    item.Id, item.MessageId, item.CompanyId, result.ErrorCode, item.AvailableAt);
                return false;
            default:
                attempt.Outcome = result.Outcome == SendOutcome.Permanent ? AttemptOutcome.PermanentFailure : AttemptOutcome.TransientFailure;
                item.Finish(DeliveryStatus.Failed, result.ErrorCode, result.ErrorMessage);
                metrics.Count(item, channels.ProviderFor(item), "failed");
                logger.LogWarning("Delivery {DeliveryId} (message {MessageId}, company {CompanyId}) failed for good ({Code}) after {Attempts} attempt(s)",
                    item.Id, item.MessageId, item.CompanyId, result.ErrorCode, item.Attempts);
                return result.OptsOut;
        }
    }

    /// <summary>
    /// The backoff, or longer when the provider asked with <c>Retry-After</c>: honoured, but a text or email
    /// waits no longer than the backoff's own cap (SPEC §10). A webhook receiver's wish is capped by <c>WebhookSender</c>.
    /// </summary>
    TimeSpan RetryDelay(OutboxItem item, SendResult result)
    {
        var delay = _retry.DelayAfter(item.Attempts, Random.Shared);
        if (result.RetryAfter is not { } asked || asked <= delay) return delay;
        return item.Channel == Channel.Webhook || asked < options.Value.MaxRetryDelay ? asked : options.Value.MaxRetryDelay;
    }

    /// <summary>
    /// Saves the round's outcomes. A status callback may have moved an item on (e.g. to delivered)
    /// while we were recording it as sent: keep the provider's newer status, take our other fields.
    /// </summary>
    public static async Task SaveAsync(CasewireDb db, CancellationToken ct)
    {
        for (var round = 0; ; round++)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateConcurrencyException e) when (round < 3)
            {
                foreach (var entry in e.Entries)
                {
                    var current = await entry.GetDatabaseValuesAsync(ct);
                    if (current is null) { entry.State = EntityState.Detached; continue; }
                    entry.OriginalValues.SetValues(current);
                    entry.Property(nameof(OutboxItem.Status)).CurrentValue = current[nameof(OutboxItem.Status)];
                    entry.Property(nameof(OutboxItem.DeliveredAt)).CurrentValue = current[nameof(OutboxItem.DeliveredAt)];
                }
            }
        }
    }
}
