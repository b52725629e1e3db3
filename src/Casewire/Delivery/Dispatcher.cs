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
    Outcomes outcomes,
    SendDecisions decisions,
    DeliveryMetrics metrics,
    ILogger<Dispatcher> logger) : BackgroundService
{
    readonly DeliveryOptions _options = options.Value;

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

        await outcomes.RecordAsync(db, events, endpoints, results, time.GetUtcNow(), ct);
        return reconciled + claimed.Count;
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
        await Outcomes.SaveAsync(db, ct);
        return expired.Count;
    }
}
