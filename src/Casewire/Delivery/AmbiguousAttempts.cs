using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Delivery;

/// <summary>
/// Claimed items whose last attempt was ambiguous — the provider may have the message, its answer was
/// lost — are never sent again blind (SPEC §10). Before anything else the provider is asked
/// (<see cref="ChannelRouter.ReconcileAsync"/>): found, the item was sent; not found, it goes on to be
/// sent; the provider cannot say, it is asked again on the retry backoff, and once §7's bounds are spent the
/// item is <c>failed</c> as <see cref="OutcomeUnknown"/>, for staff to check, not resent.
/// </summary>
sealed class AmbiguousAttempts(ChannelRouter channels, DeliveryMetrics metrics, IOptions<DeliveryOptions> options, ILogger<AmbiguousAttempts> logger)
{
    /// <summary>The error code of an item given up because nobody could say whether it was sent.</summary>
    public const string OutcomeUnknown = "outcome-unknown";

    readonly RetryPolicy _retry = new(options.Value);

    /// <summary>
    /// Asks the provider about each of <paramref name="claimed"/> whose last attempt was ambiguous, records
    /// what that settles, and returns the items still to be decided and sent.
    /// </summary>
    public async Task<List<OutboxItem>> SettleAsync(CasewireDb db, List<OutboxItem> claimed, DateTimeOffset now, CancellationToken ct)
    {
        // A first attempt has nothing before it: the bulk of a round costs no query here.
        var retried = claimed.Where(i => i.Attempts > 1 && i.Channel != Channel.Webhook).Select(i => i.Id).ToList();
        if (retried.Count == 0) return claimed;
        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => retried.Contains(a.OutboxItemId))
            .Select(a => new { a.Id, a.OutboxItemId, a.Number, a.Outcome, a.StartedAt }).ToListAsync(ct);
        // The item's trailing ambiguous attempts: the one whose answer was lost and the questions since that got none. Twilio
        // is asked about texts created since the first of them; the last question's start would, a few backoffs on, miss it.
        var unsettledRuns = attempts.GroupBy(a => a.OutboxItemId)
            .Select(g => g.OrderBy(a => a.Number).ThenBy(a => a.Id).Reverse().TakeWhile(a => a.Outcome == AttemptOutcome.Ambiguous).ToList())
            .Where(run => run.Count > 0)
            .ToDictionary(run => run[0].OutboxItemId);
        var ambiguousSince = unsettledRuns.ToDictionary(r => r.Key, r => r.Value.Min(a => a.StartedAt));
        if (ambiguousSince.Count == 0) return claimed;

        // The questions in parallel, bounded like the sends (a provider outage leaves many to ask); the answers recorded one by one.
        using var gate = new SemaphoreSlim(options.Value.MaxParallelSends);
        var answers = await Task.WhenAll(claimed.Where(i => ambiguousSince.ContainsKey(i.Id)).Select(async item =>
        {
            await gate.WaitAsync(ct);
            try { return (item, answer: await AskAsync(item, ambiguousSince[item.Id], ct)); }
            finally { gate.Release(); }
        }));
        var settled = new HashSet<OutboxItem>();
        foreach (var (item, answer) in answers)
            if (Settle(db, item, answer, ambiguousSince[item.Id], now)) settled.Add(item);

        // "Not found" settles the attempt asked about: it never arrived. Recorded on it (saved with the round's outcomes, fenced
        // like them), so a text then held back (its sender's budget) is not asked about again at each later claim, where each
        // "cannot ask" would spend an attempt until it failed "outcome unknown" without ever being sent. Texts only: an SMTP
        // server cannot be asked, so an email's "not found" is no answer (it is resent with the same Message-ID) and its attempt stays ambiguous.
        var notArrived = answers.Where(a => !settled.Contains(a.item) && a.item.Channel == Channel.Sms).SelectMany(a => unsettledRuns[a.item.Id]).Select(a => a.Id).ToList();
        foreach (var attempt in await db.DeliveryAttempts.Where(a => notArrived.Contains(a.Id)).ToListAsync(ct))
        {
            attempt.Outcome = AttemptOutcome.TransientFailure;
            attempt.ErrorMessage = OutboxItem.Truncate($"{attempt.ErrorMessage} Asked afterwards, the provider had no record of it: it never arrived.".TrimStart());
        }
        return claimed.Where(i => !settled.Contains(i)).ToList();
    }

    async Task<ReconcileResult> AskAsync(OutboxItem item, DateTimeOffset startedAt, CancellationToken ct)
    {
        using var scope = DeliveryMetrics.LogScope(logger, item);
        var reconciled = await channels.ReconcileAsync(item, startedAt, ct);
        logger.LogWarning("Asked the provider about delivery {DeliveryId} (message {MessageId}, company {CompanyId}) after a lost answer: {Outcome}",
            item.Id, item.MessageId, item.CompanyId, reconciled.Outcome);
        return reconciled;
    }

    /// <summary>Records what the provider said about an attempt started at <paramref name="startedAt"/>; false when the item is to be sent now.</summary>
    bool Settle(CasewireDb db, OutboxItem item, ReconcileResult reconciled, DateTimeOffset startedAt, DateTimeOffset now)
    {
        var attempt = new DeliveryAttempt
        {
            OutboxItemId = item.Id, Number = item.Attempts, Instance = options.Value.Instance, StartedAt = now, FinishedAt = now,
        };
        switch (reconciled.Outcome)
        {
            case ReconcileOutcome.Found:
                db.DeliveryAttempts.Add(attempt);
                RecordFound(item, attempt, reconciled.ProviderMessageId, startedAt);
                return true;
            case ReconcileOutcome.NotFound when _retry.ShouldGiveUp(item.Attempts - 1, item.DueAt, now):
                // Never arrived, and the attempts before this ask spent §7's bounds: failed with their last error.
                item.Unclaim();
                item.Finish(DeliveryStatus.Failed);
                metrics.Count(item, channels.ProviderFor(item), "failed");
                return true;
            case ReconcileOutcome.NotFound:
                return false; // never arrived: safe to send (the attempt asked about is marked so by SettleAsync)
            default:
                db.DeliveryAttempts.Add(attempt);
                AskLater(item, attempt, "it could not be asked whether an earlier attempt arrived", now);
                return true;
        }
    }

    /// <summary>The provider has the message: it was sent, with the provider's id, at the attempt that reached it.</summary>
    public void RecordFound(OutboxItem item, DeliveryAttempt attempt, string? providerMessageId, DateTimeOffset sentAt)
    {
        attempt.Outcome = AttemptOutcome.Reconciled;
        attempt.ProviderMessageId = providerMessageId;
        item.ProviderMessageId = providerMessageId;
        item.SentAt = sentAt;
        item.ErrorCode = null;
        item.ErrorMessage = null;
        item.Finish(DeliveryStatus.Sent);
        metrics.Count(item, channels.ProviderFor(item), "reconciled");
    }

    /// <summary>
    /// The provider could not say whether it has the message: asked again after the retry backoff, or,
    /// once §7's bounds are spent (<see cref="RetryPolicy.ShouldGiveUp(OutboxItem, DateTimeOffset)"/>),
    /// <c>failed</c> as <see cref="OutcomeUnknown"/> with a message staff can act on. Never sent blind.
    /// </summary>
    public void AskLater(OutboxItem item, DeliveryAttempt attempt, string why, DateTimeOffset now)
    {
        var provider = channels.ProviderFor(item) == "twilio" ? "Twilio" : "The provider";
        attempt.Outcome = AttemptOutcome.Ambiguous;
        attempt.FinishedAt = now;
        attempt.ErrorCode = OutcomeUnknown;
        attempt.ErrorMessage = $"{provider} may have this message; {why}.";
        if (_retry.ShouldGiveUp(item, now))
        {
            var (what, where) = item.Channel == Channel.Sms ? ("text", "phone") : ("email", "inbox");
            item.Finish(DeliveryStatus.Failed, OutcomeUnknown,
                $"{provider} may or may not have sent this {what}; its answer was lost and it could not be asked. Check the client's {where} before resending.");
            metrics.Count(item, channels.ProviderFor(item), "failed");
            logger.LogWarning("Delivery {DeliveryId} (message {MessageId}, company {CompanyId}) failed: outcome unknown after {Attempts} attempt(s)",
                item.Id, item.MessageId, item.CompanyId, item.Attempts);
            return;
        }
        item.ErrorCode = OutcomeUnknown;
        item.ErrorMessage = attempt.ErrorMessage;
        item.Release(now + _retry.DelayAfter(item.Attempts, Random.Shared));
    }
}
