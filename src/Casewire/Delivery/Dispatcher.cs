using Casewire.Data;
using Casewire.Delivery.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Delivery;

/// <summary>
/// Sends everything (DESIGN.md), in one loop per <see cref="Lane"/> — texts, emails, webhook calls —
/// so a mail server or webhook endpoint that hangs until its timeout never delays a text. Each loop sleeps until its
/// lane's earliest due item or a wake-up, then runs a round. The dispatcher only schedules; each step
/// of a round is its own class: reconciling leases whose holder died mid-send (<see cref="ExpiredLeases"/>),
/// claiming a batch (<see cref="Leases"/>, which counts each item's attempt), asking the provider about
/// items whose last answer was lost (<see cref="AmbiguousAttempts"/>), deciding what is not sent
/// now (<see cref="SendDecisions"/>), calling each channel's provider (<see cref="ChannelRouter"/>) and
/// recording the outcomes, with retries and backoff (<see cref="Outcomes"/>). The lanes share all of
/// that code; a loop survives anything: every failure is logged and recorded on its item.
/// </summary>
sealed class Dispatcher(
    IServiceScopeFactory scopes,
    OutboxWake wake,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ExpiredLeases expiredLeases,
    AmbiguousAttempts ambiguous,
    SendDecisions decisions,
    ChannelRouter channels,
    Outcomes outcomes,
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
            Task.Run(() => RunAsync(lane, lane == Lane.Sms ? backlogRounds : 1, stoppingToken), CancellationToken.None)));
    }

    /// <summary>One lane's loop: a round, then sleep until the lane's next due item or a wake-up (a write of the lane's channel).</summary>
    /// <param name="side">Rounds run side by side while a backlog lasts (<see cref="DeliveryOptions.BacklogRounds"/>).</param>
    async Task RunAsync(Lane lane, int side, CancellationToken stoppingToken)
    {
        long? lastRound = null; // when the last round that was not full started
        var backlog = false; // the last round was full: more is due
        DateTimeOffset? lookedAhead = null; // the next instant, once looked at: its burst claimed ahead, or too small for one
        var bursts = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (lastRound is { } started && _options.RoundInterval - time.GetElapsedTime(started) is { Ticks: > 0 } pause)
                    await Task.Delay(pause, time, stoppingToken); // let the writes of the next few milliseconds join this round
                var roundStarted = time.GetTimestamp();
                var written = wake.Next(lane); // taken before looking for work: a write from now on ends the sleep
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
                bursts.RemoveAll(b => b.IsCompleted);
                var (due, wait) = await NextWakeAsync(lane, lookedAhead, stoppingToken);
                if (due is { } instant && instant > time.GetUtcNow() && instant - time.GetUtcNow() <= _options.EffectiveBurstLookahead && instant != lookedAhead)
                {
                    lookedAhead = instant;
                    if (await IsBurstAsync(lane, instant, stoppingToken)) bursts.Add(PrepareBurstAsync(lane, instant, stoppingToken));
                    continue;
                }
                await OutboxWake.WaitAsync(written, wait, time, stoppingToken);
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
        await Task.WhenAll(bursts); // each gives back what it had claimed and not sent
    }

    /// <summary>
    /// At least <see cref="DeliveryOptions.BurstMinimum"/> items due at exactly <paramref name="instant"/>. Fewer go in the
    /// ordinary rounds at it (a round takes them all within milliseconds); claiming each lone item ahead would cost a round of
    /// its own per item where the rounds now share them.
    /// </summary>
    async Task<bool> IsBurstAsync(Lane lane, DateTimeOffset instant, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
        return await Leases.CountDueAtAsync(db, lane, instant, _options.BurstMinimum, ct) >= _options.BurstMinimum;
    }

    /// <summary>
    /// The items due at <paramref name="instant"/> (a burst: 10,000 reminders of 9:00 hearings due at 8:00:00), claimed
    /// and decided in rounds during the lookahead, each round then waiting for the instant and sending at it — never
    /// before (SPEC §7). Rounds are claimed one after another (a full one means more is due) until the instant
    /// comes or <see cref="DeliveryOptions.BurstRounds"/> are waiting; what is left goes in ordinary rounds after it.
    /// </summary>
    internal async Task PrepareBurstAsync(Lane lane, DateTimeOffset instant, CancellationToken ct)
    {
        var rounds = new List<Task>();
        var sent = new List<Task>();
        using var writes = new SemaphoreSlim(0); // closed until every round of the burst has handed its items over
        try
        {
            try
            {
                for (var i = 0; i < _options.BurstRounds && time.GetUtcNow() < instant; i++)
                {
                    var burst = new BurstRound(instant, new(TaskCreationOptions.RunContinuationsAsynchronously),
                        new(TaskCreationOptions.RunContinuationsAsynchronously), writes);
                    sent.Add(burst.Sent.Task);
                    rounds.Add(Task.Run(() => RoundAsync(lane, burst, ct), CancellationToken.None));
                    if (await burst.Claimed.Task < _options.BatchSize) break;
                }
            }
            finally
            {
                await Task.WhenAll(sent); // never faults: each round sets it, whatever happens to it
                writes.Release();
            }
            await Task.WhenAll(rounds);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "A burst round of lane {Lane} for {Instant:O} failed; its items are reconciled when their leases expire", lane, instant);
        }
    }

    /// <summary>
    /// The lane's next due instant and how long to sleep: until a lease expires, or until the next due item — less
    /// the burst lookahead, so its items can be claimed ahead, unless <paramref name="lookedAhead"/> is that instant.
    /// </summary>
    async Task<(DateTimeOffset? Due, TimeSpan Wait)> NextWakeAsync(Lane lane, DateTimeOffset? lookedAhead, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (due, lease) = await Leases.NextWakeAsync(scope.ServiceProvider.GetRequiredService<CasewireDb>(), lane, ct);
        var wakeForDue = due is { } at && at != lookedAhead ? at - _options.EffectiveBurstLookahead : due;
        DateTimeOffset? next = wakeForDue is null ? lease : lease is null ? wakeForDue : wakeForDue < lease ? wakeForDue : lease;
        if (next is null) return (due, _options.MaxIdle);
        var wait = next.Value - time.GetUtcNow();
        return (due, wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < _options.MaxIdle ? wait : _options.MaxIdle);
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
    public Task<int> DispatchDueAsync(Lane lane, CancellationToken ct) => RoundAsync(lane, burst: null, ct);

    /// <summary>
    /// A round of a burst: claimed and decided as of <paramref name="At"/>, still ahead, then sent at it.
    /// <paramref name="Claimed"/> learns how many items the claim took as soon as it has; <paramref name="Sent"/> is done when
    /// the round has handed its items to the providers (or has none to hand). The burst's outcomes are written once every
    /// round has sent — the instant's CPU goes to the texts, not to the database — and one round at a time
    /// (<paramref name="Writes"/>), waiting without a thread: fifty rounds writing at once would each hold a thread in
    /// SQLite's busy wait (Microsoft.Data.Sqlite's calls are synchronous).
    /// </summary>
    sealed record BurstRound(DateTimeOffset At, TaskCompletionSource<int> Claimed, TaskCompletionSource Sent, SemaphoreSlim Writes);

    /// <summary>One round of <paramref name="lane"/>: of now, or of a burst's instant (<paramref name="burst"/>).</summary>
    async Task<int> RoundAsync(Lane lane, BurstRound? burst, CancellationToken ct)
    {
        try
        {
            return await RoundCoreAsync(lane, burst, ct);
        }
        finally
        {
            burst?.Claimed.TrySetResult(0); // a round that failed before its claim claimed nothing
            burst?.Sent.TrySetResult(); // nor sends anything now
        }
    }

    async Task<int> RoundCoreAsync(Lane lane, BurstRound? burst, CancellationToken ct)
    {
        var at = burst?.At;
        var reconciled = at is null ? await expiredLeases.ReconcileAsync(lane, ct) : 0;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
        var events = scope.ServiceProvider.GetRequiredService<WebhookEvents>();
        var now = at ?? time.GetUtcNow();
        var claimed = await Leases.ClaimDueAsync(db, lane, _options.Instance, now, now + _options.LeaseDuration, _options.BatchSize, ct);
        burst?.Claimed.TrySetResult(claimed.Count);
        if (claimed.Count == 0) return reconciled;
        using var round = DeliveryMetrics.StartRound(at is null ? "dispatch" : "burst", lane, claimed.Count, _options.Instance);

        // The claim itself recorded each attempt's start (attempt number and lease, in the item's row):
        // a crash from here on leaves the item "sending", and its reconciliation asks the provider first.
        // An item whose last answer was lost is first asked about, never sent blind (SPEC §10).
        // A slow round keeps its items (SPEC §10), the questions about lost answers included.
        await using var renewal = LeaseRenewal.Start(scopes, claimed, _options, time, logger);
        List<Send> sends;
        WebhookDeliveries.Round endpoints;
        try
        {
            var unsettled = await ambiguous.SettleAsync(db, claimed, now, ct);
            (sends, endpoints) = await decisions.DecideAsync(db, unsettled, now, ct);
            if (at is not null) sends = await WaitForInstantAsync(db, sends, at.Value, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // A shutdown before anything was sent (a burst's round deciding or waiting for its instant, any round deciding)
            // gives every claimed item back, unsent: due again at the restart, not held until the lease runs out.
            await GiveBackAsync(db);
            throw;
        }

        var results = await SendAllAsync(db, sends, ct);
        var finished = time.GetUtcNow();
        // From here a shutdown waits for the recording (one transaction): what went out is recorded, not left to a lease's expiry.
        if (burst is null)
        {
            await renewal.DisposeAsync(); // renewal ends here; the outcomes are fenced instead
            await outcomes.RecordAsync(db, events, endpoints, results, finished, CancellationToken.None);
            return reconciled + claimed.Count;
        }
        burst.Sent.TrySetResult();
        await burst.Writes.WaitAsync(CancellationToken.None); // what was sent is recorded, shutdown or not
        try
        {
            await renewal.DisposeAsync(); // held while the burst's other rounds were sending
            await outcomes.RecordAsync(db, events, endpoints, results, finished, CancellationToken.None);
        }
        finally { burst.Writes.Release(); }
        return claimed.Count;
    }

    /// <summary>
    /// Calls the providers, <see cref="DeliveryOptions.MaxParallelSends"/> at a time, and returns what they answered. On
    /// shutdown no new call starts: the items not yet called go back, unsent; a call cut off mid-way may have reached its
    /// provider, so its item keeps its lease and is asked about when the lease runs out (<see cref="ExpiredLeases"/>).
    /// </summary>
    async Task<List<(Send Send, SendResult Result)>> SendAllAsync(CasewireDb db, List<Send> sends, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(_options.MaxParallelSends);
        var calls = await Task.WhenAll(sends.Select(async send =>
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                if (ct.IsCancellationRequested) return (send, result: (SendResult?)null, cutOff: false);
                return (send, result: await channels.SendAsync(send.Item, ct), cutOff: false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return (send, result: null, cutOff: true);
            }
            finally { gate.Release(); }
        }));
        foreach (var (send, _, cutOff) in calls.Where(c => c.result is null))
        {
            if (cutOff)
            {
                db.Entry(send.Item).State = EntityState.Detached; // nothing to write: still "sending" under this lease
                continue;
            }
            GiveBack(send.Item);
        }
        return calls.Where(c => c.result is not null).Select(c => (c.send, c.result!)).ToList();
    }

    /// <summary>
    /// Holds a burst round's sends until <paramref name="at"/>, looking at them again just before it (a cancel or a STOP
    /// of the last moments still counts).
    /// </summary>
    async Task<List<Send>> WaitForInstantAsync(CasewireDb db, List<Send> sends, DateTimeOffset at, CancellationToken ct)
    {
        await UntilAsync(at - RecheckAhead, ct);
        sends = await decisions.RecheckAsync(db, sends, at, ct);
        await UntilAsync(at, ct);
        return sends;
    }

    /// <summary>A round stopped before it sent anything: every item it still holds goes back (<see cref="GiveBack"/>), saved whatever the shutdown.</summary>
    static async Task GiveBackAsync(CasewireDb db)
    {
        foreach (var item in db.ChangeTracker.Entries<Model.OutboxItem>().Select(e => e.Entity).Where(i => i.Status == Model.DeliveryStatus.Sending))
            GiveBack(item);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>A claimed item that was not sent: pending again at its own time, its attempt uncounted.</summary>
    static void GiveBack(Model.OutboxItem item)
    {
        item.Unclaim();
        item.Release(item.AvailableAt);
    }

    /// <summary>Sleeps until <paramref name="instant"/> on the clock — never less: a timer rounds to whole milliseconds and may fire early.</summary>
    async Task UntilAsync(DateTimeOffset instant, CancellationToken ct)
    {
        while (instant - time.GetUtcNow() is { Ticks: > 0 } left)
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds)), time, ct);
    }

    /// <summary>How long before a burst's instant its items are looked at again (<see cref="SendDecisions.RecheckAsync"/>).</summary>
    static readonly TimeSpan RecheckAhead = TimeSpan.FromMilliseconds(50);
}
