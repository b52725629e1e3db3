using Casewire.Data;
using Casewire.Delivery.Webhooks;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Delivery;

/// <summary>
/// Sends everything (DESIGN.md), in one loop per <see cref="Lane"/> — texts and emails, webhook calls —
/// so a webhook endpoint that hangs until its timeout never delays a text. Each loop sleeps until its
/// lane's earliest due item or a wake-up, leases a batch of its lane, records an attempt per item
/// before calling its provider and the outcome after, retries transient failures with backoff and
/// reconciles its lane's leases whose holder died mid-send. The lanes share all of that code; a loop
/// survives anything: every failure is logged and recorded on its item.
/// </summary>
public sealed class Dispatcher(
    IServiceScopeFactory scopes,
    OutboxWake wake,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ChannelRouter channels,
    WebhookDeliveries webhooks,
    SendDecisions decisions,
    DeliveryMetrics metrics,
    ILogger<Dispatcher> logger) : BackgroundService
{
    readonly DeliveryOptions _options = options.Value;
    readonly RetryPolicy _retry = new(options.Value);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.RunDispatcher) return;
        logger.LogInformation("Dispatcher {Instance} started (SMS: {Sms}, email: {Email}; lanes: {Lanes})",
            _options.Instance, channels.SmsProvider, channels.EmailProvider, string.Join(", ", Lane.All));
        var backlogRounds = Math.Max(1, _options.BacklogRounds);
        // Each lane on its own thread-pool loop: neither waits for the other's round, nor holds up the host's start.
        await Task.WhenAll(Lane.All.Select(lane =>
            Task.Run(() => RunAsync(lane, lane == Lane.Messages ? backlogRounds : 1, stoppingToken), CancellationToken.None)));
    }

    /// <summary>One lane's loop: a round, then sleep until the lane's next due item or a wake-up (any outbox write wakes every lane).</summary>
    /// <param name="side">Rounds run side by side while a backlog lasts (<see cref="DeliveryOptions.BacklogRounds"/>).</param>
    async Task RunAsync(Lane lane, int side, CancellationToken stoppingToken)
    {
        long? lastRound = null; // when the last round that was not full started
        var backlog = false; // the last round was full: more is due
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (lastRound is { } started && _options.RoundInterval - time.GetElapsedTime(started) is { Ticks: > 0 } pause)
                    await Task.Delay(pause, time, stoppingToken); // let the writes of the next few milliseconds join this round
                var roundStarted = time.GetTimestamp();
                var written = wake.Next; // taken before looking for work: a write from now on ends the sleep
                // Each on the thread pool: Microsoft.Data.Sqlite's async calls complete synchronously, so
                // without Task.Run the second round would only start once the first had finished.
                var full = backlog && side > 1
                    ? (await Task.WhenAll(Enumerable.Range(0, side).Select(_ => Task.Run(() => DispatchDueAsync(lane, stoppingToken), stoppingToken))))
                        .Any(n => n >= _options.BatchSize)
                    : await DispatchDueAsync(lane, stoppingToken) >= _options.BatchSize;
                backlog = full;
                if (full)
                {
                    lastRound = null; // more is due: no sleep, no pause
                    continue;
                }
                lastRound = roundStarted;
                await OutboxWake.WaitAsync(written, await TimeUntilNextWakeAsync(lane, stoppingToken), time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Dispatcher round of lane {Lane} failed; retrying in a second", lane);
                try { await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    async Task<TimeSpan> TimeUntilNextWakeAsync(Lane lane, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var next = await Leases.NextWakeAsync(scope.ServiceProvider.GetRequiredService<CasewireDb>(), lane, ct);
        if (next is null) return _options.MaxIdle;
        var wait = next.Value - time.GetUtcNow();
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < _options.MaxIdle ? wait : _options.MaxIdle;
    }

    /// <summary>
    /// One round of every lane, one after the other. Returns how many items they handled. Tests call
    /// this directly with a <c>FakeTimeProvider</c>; the running dispatcher runs each lane in its own loop.
    /// </summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        var handled = 0;
        foreach (var lane in Lane.All) handled += await DispatchDueAsync(lane, ct);
        return handled;
    }

    /// <summary>
    /// One round of <paramref name="lane"/>: reconcile its expired leases, then send one batch of its
    /// due items. Returns how many items it handled.
    /// </summary>
    public async Task<int> DispatchDueAsync(Lane lane, CancellationToken ct)
    {
        var reconciled = await ReconcileExpiredLeasesAsync(lane, ct);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
        var events = scope.ServiceProvider.GetRequiredService<WebhookEvents>();
        var now = time.GetUtcNow();
        var claimed = await Leases.ClaimDueAsync(db, lane, _options.Instance, now, now + _options.LeaseDuration, _options.BatchSize, ct);
        if (claimed.Count == 0) return reconciled;
        using var round = DeliveryMetrics.StartRound("dispatch", lane, claimed.Count, _options.Instance);

        // The claim itself recorded each attempt's start (attempt number and lease, in the item's row):
        // a crash from here on leaves the item "sending", and its reconciliation asks the provider first.
        var (sends, endpoints) = await decisions.DecideAsync(db, claimed, now, ct);

        using var gate = new SemaphoreSlim(_options.MaxParallelSends);
        var results = await Task.WhenAll(sends.Select(async send =>
        {
            await gate.WaitAsync(ct);
            try { return (send, result: await channels.SendAsync(send.Item, ct)); }
            finally { gate.Release(); }
        }));

        var finished = time.GetUtcNow();
        foreach (var (send, result) in results)
        {
            if (RecordOutcome(send.Item, send.Attempt, result, finished)) // the carrier says the number opted out
                await OptOuts.SetAsync(db, events, send.Item.CompanyId, send.Item.To, active: true, "carrier", finished, ct);
        }
        await events.RaiseDeliveryChangesAsync(ct); // message.status_changed and reminder.sent, saved with the outcomes

        // Each attempt's row is written once, with its outcome. The successful texts and emails (most of
        // a round) in two set-based statements; the rest — failures, retries, webhook calls — through EF.
        var sent = sends.Where(s => s.Item.Channel != Channel.Webhook && s.Attempt.Outcome == AttemptOutcome.Sent)
            .Select(s => (s.Item, s.Attempt)).ToList();
        var recorded = sent.Select(s => s.Attempt).ToHashSet();
        db.DeliveryAttempts.AddRange(sends.Select(s => s.Attempt).Where(a => !recorded.Contains(a)));
        if (sent.Count == 0) await SaveOutcomesAsync(db, ct);
        else
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await SentOutcomes.RecordAsync(db, sent, finished, ct);
            await SaveOutcomesAsync(db, ct);
            await transaction.CommitAsync(ct);
        }
        await webhooks.RecordAsync(db, endpoints, sends.Where(s => s.Item.Channel == Channel.Webhook).Select(s => (s.Item, s.Attempt)).ToList(),
            finished, ct);
        return reconciled + claimed.Count;
    }

    /// <summary>Applies a provider's answer to the item and its attempt; true when it says the number opted out.</summary>
    bool RecordOutcome(OutboxItem item, DeliveryAttempt attempt, SendResult result, DateTimeOffset now)
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
                var delay = _retry.DelayAfter(item.Attempts, Random.Shared);
                if (result.RetryAfter > delay) delay = result.RetryAfter.Value; // the provider asked us to wait longer
                item.Release(now + delay);
                metrics.Count(item, channels.ProviderFor(item), "retrying");
                logger.LogWarning("Delivery {DeliveryId} (message {MessageId}, company {CompanyId}) failed transiently ({Code}); attempt {Attempt} of {Max}, retry at {RetryAt}",
                    item.Id, item.MessageId, item.CompanyId, result.ErrorCode, item.Attempts, _options.MaxAttempts, item.AvailableAt);
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
    /// Saves the round's outcomes. A status callback may have moved an item on (e.g. to delivered)
    /// while we were recording it as sent: keep the provider's newer status, take our other fields.
    /// </summary>
    static async Task SaveOutcomesAsync(CasewireDb db, CancellationToken ct)
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

    /// <summary>
    /// Items still "sending" after their lease ran out: their dispatcher died or hung. One whose last
    /// attempt has no outcome may have reached the provider, so the provider is asked before any
    /// resend (SPEC §7: a crash between send and record must not produce a second text).
    /// </summary>
    async Task<int> ReconcileExpiredLeasesAsync(Lane lane, CancellationToken ct)
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
                    attempt.Outcome = AttemptOutcome.Reconciled;
                    attempt.FinishedAt = now;
                    attempt.ProviderMessageId = reconciled.ProviderMessageId;
                    item.ProviderMessageId = reconciled.ProviderMessageId;
                    item.SentAt = attempt.StartedAt;
                    item.Finish(DeliveryStatus.Sent);
                    metrics.Count(item, channels.ProviderFor(item), "reconciled");
                    break;
                case ReconcileOutcome.NotFound:
                    attempt.Outcome = AttemptOutcome.TransientFailure;
                    attempt.FinishedAt = now;
                    attempt.ErrorCode = "interrupted";
                    attempt.ErrorMessage = "The sending process stopped mid-send; the provider has no record of it.";
                    item.Release(now);
                    break;
                default:
                    break; // keep the new lease; ask again when it runs out
            }
            logger.LogWarning("Reconciled delivery {DeliveryId} (message {MessageId}, company {CompanyId}) after an expired lease: {Outcome}",
                item.Id, item.MessageId, item.CompanyId, reconciled.Outcome);
        }
        await events.RaiseDeliveryChangesAsync(ct);
        await SaveOutcomesAsync(db, ct);
        return expired.Count;
    }
}
