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
        foreach (var item in expired)
        {
            // The claim counted this attempt; whether it reached the provider only the provider knows.
            if (!open.TryGetValue(item.Id, out var attempt))
            {
                attempt = new DeliveryAttempt
                {
                    OutboxItemId = item.Id, Number = item.Attempts, Instance = _options.Instance,
                    StartedAt = (item.LeaseExpiresAt ?? now) - _options.LeaseDuration,
                };
                db.DeliveryAttempts.Add(attempt);
            }
            using var itemScope = DeliveryMetrics.LogScope(logger, item);
            var reconciled = await channels.ReconcileAsync(item, attempt.StartedAt, ct);
            switch (reconciled.Outcome)
            {
                case ReconcileOutcome.Found:
                    attempt.FinishedAt = now;
                    ambiguous.RecordFound(item, attempt, reconciled.ProviderMessageId, attempt.StartedAt);
                    break;
                case ReconcileOutcome.NotFound:
                    attempt.Outcome = AttemptOutcome.TransientFailure;
                    attempt.FinishedAt = now;
                    attempt.ErrorCode = "interrupted";
                    attempt.ErrorMessage = "The sending process stopped mid-send; the provider has no record of it.";
                    item.Release(now);
                    break;
                default:
                    ambiguous.AskLater(item, attempt, "the sending process stopped mid-send and it could not be asked", now);
                    break;
            }
            logger.LogWarning("Reconciled delivery {DeliveryId} (message {MessageId}, company {CompanyId}) after an expired lease: {Outcome}",
                item.Id, item.MessageId, item.CompanyId, reconciled.Outcome);
        }
        await events.RaiseDeliveryChangesAsync(ct);
        await events.RaiseMassMessageCompletionsAsync(ct);
        await Outcomes.SaveAsync(db, ct);
        return expired.Count;
    }
}
