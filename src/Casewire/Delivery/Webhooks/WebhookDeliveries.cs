using System.Globalization;
using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Delivery.Webhooks;

/// <summary>
/// The dispatcher's webhook part, used by the rounds of the webhook lane (<see cref="Lane.Webhooks"/>, which
/// claims every webhook call due). Before a round: a call of a deleted or disabled endpoint is
/// canceled, and an endpoint that is failing gets one call per round (a probe) while its other calls
/// wait for the probe's outcome. After a round: each endpoint's run of failures is counted; a
/// success ends it and releases the calls that waited; a run that lasts <see cref="WebhookOptions.DisableAfter"/>
/// (with at least <see cref="WebhookOptions.DisableAfterFailures"/> failed attempts), or a <c>410 Gone</c>,
/// disables the endpoint and cancels what it has pending, with a reason the admin can read.
/// </summary>
sealed class WebhookDeliveries(IOptions<WebhookOptions> options, IOptions<DeliveryOptions> delivery, ILogger<WebhookDeliveries> logger)
{
    readonly WebhookOptions _options = options.Value;
    readonly RetryPolicy _retry = new(delivery.Value);

    /// <summary>What to do with one claimed call.</summary>
    public abstract record Decision
    {
        public static readonly Decision Send = new SendNow();
        public sealed record SendNow : Decision;
        public sealed record Cancel(string Code, string Message) : Decision;
        public sealed record Defer(DateTimeOffset Until) : Decision;
    }

    /// <summary>One dispatcher round's view of the endpoints of its calls, as they were when it started.</summary>
    public sealed class Round(
        RetryPolicy retry, IReadOnlyDictionary<int, (int Failures, DateTimeOffset? LastSuccess)> before, IReadOnlyDictionary<int, long> probes)
    {
        /// <summary>Cancels calls of gone or disabled endpoints; lets one call per failing endpoint through: its oldest.</summary>
        public Decision Decide(OutboxItem item, DateTimeOffset now)
        {
            if (item.WebhookEndpoint is not { } endpoint)
                return new Decision.Cancel("endpoint-deleted", "The webhook endpoint was deleted.");
            if (!endpoint.IsEnabled)
                return new Decision.Cancel("endpoint-disabled", $"The webhook endpoint is disabled: {endpoint.DisabledReason}");
            if (endpoint.ConsecutiveFailures > 0 && probes.GetValueOrDefault(endpoint.Id) != item.Id)
                return new Decision.Defer(now + retry.DelayAfter(endpoint.ConsecutiveFailures, Random.Shared));
            return Decision.Send;
        }

        internal (int Failures, DateTimeOffset? LastSuccess) Before(int endpointId) => before.GetValueOrDefault(endpointId);
    }

    /// <summary>Loads the endpoints of the claimed calls into <paramref name="db"/> (so each call's <see cref="OutboxItem.WebhookEndpoint"/> is set).</summary>
    public async Task<Round> StartRoundAsync(CasewireDb db, IReadOnlyCollection<OutboxItem> claimed, CancellationToken ct)
    {
        var ids = claimed.Where(i => i.Channel == Channel.Webhook && i.WebhookEndpointId is not null)
            .Select(i => i.WebhookEndpointId!.Value).Distinct().ToList();
        if (ids.Count == 0) return new Round(_retry, new Dictionary<int, (int, DateTimeOffset?)>(), new Dictionary<int, long>());
        var endpoints = await db.WebhookEndpoints.Where(e => ids.Contains(e.Id)).ToListAsync(ct);
        // The oldest claimed call of each endpoint is its probe: the one nearest to giving up, and first in, first out.
        var probes = claimed.Where(i => i.Channel == Channel.Webhook && i.WebhookEndpointId is not null)
            .GroupBy(i => i.WebhookEndpointId!.Value).ToDictionary(g => g.Key, g => g.Min(i => i.Id));
        return new Round(_retry, endpoints.ToDictionary(e => e.Id, e => (e.ConsecutiveFailures, e.LastSuccessAt)), probes);
    }

    /// <summary>Counts the round's outcomes per endpoint, after the round's items were saved.</summary>
    public async Task RecordAsync(CasewireDb db, Round round, IReadOnlyList<(OutboxItem Item, DeliveryAttempt Attempt)> calls, DateTimeOffset now,
        CancellationToken ct)
    {
        foreach (var endpoint in calls.Where(c => c.Item.WebhookEndpointId is not null).GroupBy(c => c.Item.WebhookEndpointId!.Value))
        {
            try
            {
                var failed = endpoint.Where(c => c.Attempt.Outcome != AttemptOutcome.Sent).ToList();
                if (failed.Count == 0) await SucceededAsync(db, endpoint.Key, round.Before(endpoint.Key), now, ct);
                else if (endpoint.Any(c => c.Attempt.Outcome == AttemptOutcome.Sent) && failed.All(c => c.Attempt.Outcome != AttemptOutcome.PermanentFailure))
                    await SucceededAsync(db, endpoint.Key, round.Before(endpoint.Key), now, ct); // it answers: a failing call is that call's problem
                else await FailedAsync(db, endpoint.Key, failed, now, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The calls themselves are recorded; only the endpoint's health missed this round.
                logger.LogWarning(e, "Could not record the health of webhook endpoint {EndpointId}", endpoint.Key);
            }
        }
    }

    /// <summary>Ends the endpoint's run of failures; the calls that waited for it may go now.</summary>
    async Task SucceededAsync(CasewireDb db, int endpointId, (int Failures, DateTimeOffset? LastSuccess) before, DateTimeOffset now, CancellationToken ct)
    {
        // A healthy endpoint is written to at most once a minute, not on every call.
        if (before.Failures == 0 && before.LastSuccess is { } last && now - last < TimeSpan.FromMinutes(1)) return;
        await db.WebhookEndpoints.Where(e => e.Id == endpointId).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.ConsecutiveFailures, 0)
            .SetProperty(e => e.FailingSince, (DateTimeOffset?)null)
            .SetProperty(e => e.LastSuccessAt, now), ct);
        if (before.Failures > 0)
            await PendingOf(db, endpointId).Where(o => o.AvailableAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.AvailableAt, now), ct);
    }

    /// <summary>Lengthens the run of failures, holds the endpoint's other calls back, and disables it when the run is long enough.</summary>
    async Task FailedAsync(CasewireDb db, int endpointId, List<(OutboxItem Item, DeliveryAttempt Attempt)> failed, DateTimeOffset now,
        CancellationToken ct)
    {
        var first = failed.Min(c => c.Attempt.StartedAt);
        var last = failed.MaxBy(c => c.Attempt.StartedAt);
        var error = Describe(last.Attempt);
        var gone = failed.Any(c => c.Attempt.Outcome == AttemptOutcome.PermanentFailure);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.WebhookEndpoints.Where(e => e.Id == endpointId).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.ConsecutiveFailures, e => e.ConsecutiveFailures + failed.Count)
            .SetProperty(e => e.FailingSince, e => e.FailingSince ?? first)
            .SetProperty(e => e.LastError, error), ct);
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, ct);
        var reason = endpoint is not { IsEnabled: true } ? null
            : gone ? string.Create(CultureInfo.InvariantCulture, $"The endpoint answered 410 Gone on {now:yyyy-MM-dd HH:mm}Z: it wants no more events.")
            : endpoint.FailingSince is { } since && now - since >= _options.DisableAfter && endpoint.ConsecutiveFailures >= _options.DisableAfterFailures
                ? string.Create(CultureInfo.InvariantCulture,
                    $"Every call failed for {Hours(now - since)} since {since:yyyy-MM-dd HH:mm}Z ({endpoint.ConsecutiveFailures} attempts in a row). Last error: {error}")
                : null;
        if (reason is null)
        {
            // The next probe comes no sooner than the earliest retry: until then the endpoint's other calls wait.
            var retries = failed.Where(c => c.Item.Status == DeliveryStatus.Pending).Select(c => c.Item.AvailableAt).ToList();
            if (retries.Count > 0)
            {
                var retryAt = retries.Min();
                await PendingOf(db, endpointId).Where(o => o.AvailableAt < retryAt).ExecuteUpdateAsync(s => s.SetProperty(o => o.AvailableAt, retryAt), ct);
            }
            await transaction.CommitAsync(ct);
            return;
        }
        reason = Truncate(reason);
        await db.WebhookEndpoints.Where(e => e.Id == endpointId && e.DisabledAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.DisabledAt, now)
            .SetProperty(e => e.DisabledReason, reason), ct);
        var canceled = await CancelPendingAsync(db, endpointId, "endpoint-disabled", $"The webhook endpoint was disabled: {reason}", ct);
        await transaction.CommitAsync(ct);
        logger.LogWarning("Webhook endpoint {EndpointId} of company {CompanyId} disabled ({Canceled} pending calls canceled): {Reason}",
            endpointId, endpoint!.CompanyId, canceled, reason);
    }

    /// <summary>Cancels the pending calls of an endpoint (disabled or deleted), saying why.</summary>
    public static Task<int> CancelPendingAsync(CasewireDb db, int endpointId, string code, string message, CancellationToken ct) =>
        PendingOf(db, endpointId).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Status, DeliveryStatus.Canceled)
            .SetProperty(o => o.ErrorCode, code)
            .SetProperty(o => o.ErrorMessage, Truncate(message)), ct);

    static IQueryable<OutboxItem> PendingOf(CasewireDb db, int endpointId) =>
        db.OutboxItems.Where(o => o.Status == DeliveryStatus.Pending && o.WebhookEndpointId == endpointId);

    static string Describe(DeliveryAttempt attempt) => Truncate(attempt.ErrorMessage ?? attempt.ErrorCode ?? "failed");

    static string Hours(TimeSpan span) => span.TotalHours < 48 ? $"{(int)span.TotalHours} hours" : $"{(int)span.TotalDays} days";

    static string Truncate(string text) => text.Length > 1000 ? text[..1000] : text;
}
