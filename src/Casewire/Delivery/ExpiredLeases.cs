using Casewire.Data;
using Casewire.Delivery.Webhooks;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Delivery;

/// <summary>
/// Items still "sending" after their lease ran out: their dispatcher died or hung. One whose last
/// attempt has no outcome may have reached the provider, so the provider is asked before any
/// resend (SPEC §7: a crash between send and record must not produce a second text). Found: it was
/// sent; not found: it is due again at once; the provider cannot say: the attempt is ambiguous, asked about
/// again on the retry backoff by its next claim (<see cref="AmbiguousAttempts"/>) and given up within §7's bounds.
/// Like a send round, the asking renews the leases it took (<see cref="LeaseRenewal"/>), and the answers are recorded
/// only where this instance still holds them (<see cref="Leases.StillHeldAsync"/>; SPEC §10).
/// </summary>
sealed class ExpiredLeases(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ChannelRouter channels,
    AmbiguousAttempts ambiguous,
    ILogger<ExpiredLeases> logger)
{
    readonly DeliveryOptions _options = options.Value;

    /// <summary>Reconciles up to a batch of <paramref name="lane"/>'s expired leases; returns how many it took.</summary>
    public async Task<int> ReconcileAsync(Lane lane, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
        var now = time.GetUtcNow();
        if (!await Leases.AnyExpiredAsync(db, lane, now, ct)) return 0;
        var events = scope.ServiceProvider.GetRequiredService<WebhookEvents>();
        var expired = await Leases.ClaimExpiredAsync(db, lane, _options.Instance, now, now + _options.LeaseDuration, _options.BatchSize, ct);
        if (expired.Count == 0) return 0;
        using var round = DeliveryMetrics.StartRound("reconcile", lane, expired.Count, _options.Instance);

        var ids = expired.Select(i => i.Id).ToList();
        var open = await db.DeliveryAttempts
            .Where(a => ids.Contains(a.OutboxItemId) && a.Outcome == null)
            .ToDictionaryAsync(a => a.OutboxItemId, ct);

        // Asking can outlive a lease (a slow provider, a long list): renewed like a send round's (SPEC §10).
        var answers = new List<(OutboxItem Item, DeliveryAttempt Attempt, bool Added, ReconcileResult Reconciled)>();
        await using (LeaseRenewal.Start(scopes, expired, _options, time, logger))
        {
            foreach (var item in expired)
            {
                // The claim counted this attempt; whether it reached the provider only the provider knows.
                var added = !open.TryGetValue(item.Id, out var attempt);
                attempt ??= new DeliveryAttempt
                {
                    OutboxItemId = item.Id, Number = item.Attempts, Instance = _options.Instance,
                    StartedAt = (item.LeaseExpiresAt ?? now) - _options.LeaseDuration,
                };
                using var itemScope = DeliveryMetrics.LogScope(logger, item);
                answers.Add((item, attempt, added, await channels.ReconcileAsync(item, attempt.StartedAt, ct)));
            }
        }

        // Recorded only where this instance still holds the lease, like a send round's outcomes.
        var finished = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var held = await Leases.StillHeldAsync(db, expired, _options.Instance, ct);
        foreach (var (item, attempt, added, reconciled) in answers)
        {
            if (!held.Contains(item.Id))
            {
                logger.LogWarning("Discarded the late reconciliation of delivery {DeliveryId} (message {MessageId}, company {CompanyId}): its lease ran out " +
                                  "and another instance holds it now", item.Id, item.MessageId, item.CompanyId);
                db.Entry(item).State = EntityState.Detached;
                if (!added) db.Entry(attempt).State = EntityState.Detached;
                continue;
            }
            if (added) db.DeliveryAttempts.Add(attempt);
            using var itemScope = DeliveryMetrics.LogScope(logger, item);
            switch (reconciled.Outcome)
            {
                case ReconcileOutcome.Found:
                    attempt.FinishedAt = finished;
                    ambiguous.RecordFound(item, attempt, reconciled.ProviderMessageId, attempt.StartedAt);
                    break;
                case ReconcileOutcome.NotFound:
                    attempt.Outcome = AttemptOutcome.TransientFailure;
                    attempt.FinishedAt = finished;
                    attempt.ErrorCode = "interrupted";
                    attempt.ErrorMessage = "The sending process stopped mid-send; the provider has no record of it.";
                    item.Release(finished);
                    break;
                default:
                    // Asked again on the backoff by its next claims, each counting an attempt; failed "outcome unknown" once §7's bounds are spent.
                    ambiguous.AskLater(item, attempt, "the sending process stopped mid-send and it could not be asked", finished);
                    break;
            }
            logger.LogWarning("Reconciled delivery {DeliveryId} (message {MessageId}, company {CompanyId}) after an expired lease: {Outcome}",
                item.Id, item.MessageId, item.CompanyId, reconciled.Outcome);
        }
        await events.RaiseDeliveryChangesAsync(ct);
        await events.RaiseMassMessageCompletionsAsync(ct);
        await Outcomes.SaveAsync(db, ct);
        await transaction.CommitAsync(ct);
        return expired.Count;
    }
}
