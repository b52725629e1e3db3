using System.Diagnostics;
using System.Diagnostics.Metrics;
using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery;

/// <summary>
/// The delivery engine's telemetry, both named <c>Casewire.Delivery</c>: spans for each dispatcher
/// round and each provider call, and the instruments operators watch (README "Observability").
/// Metric tags are aggregate only — channel, provider, outcome, state — never a company, a number or
/// a body, so the Prometheus endpoint shows nothing about any one firm. Spans carry the ids needed to
/// follow one delivery (delivery, message, company), never its text, address or any token.
/// </summary>
sealed class DeliveryMetrics
{
    public const string Name = "Casewire.Delivery";

    /// <summary>The outbox depth is counted at most this often, and only while something reads it.</summary>
    public static readonly TimeSpan DepthRefresh = TimeSpan.FromSeconds(10);

    static readonly ActivitySource Traces = new(Name);

    readonly Counter<long> _deliveries;
    readonly Histogram<double> _lateness;
    readonly IServiceScopeFactory _scopes;
    readonly TimeProvider _time;
    readonly ILogger<DeliveryMetrics> _logger;
    volatile Depth? _depth;
    int _counting;

    sealed record Depth(long Due, long Scheduled, DateTimeOffset CountedAt);

    /// <summary>The last depth count started by a reading (tests wait for it).</summary>
    internal Task DepthCounting { get; private set; } = Task.CompletedTask;

    public DeliveryMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time, ILogger<DeliveryMetrics> logger)
    {
        _scopes = scopes;
        _time = time;
        _logger = logger;
        var meter = meters.Create(Name);
        _deliveries = meter.CreateCounter<long>("casewire.deliveries", "{delivery}",
            "Deliveries handled by the dispatcher, by channel, provider and outcome (sent, retrying, failed, suppressed, expired, reconciled).");
        _lateness = meter.CreateHistogram("casewire.delivery.lateness", "s",
            "Seconds from an item's due time to the provider call that sent it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600] });
        meter.CreateObservableGauge("casewire.outbox.depth", ObserveDepth, "{item}",
            "Pending outbox items: state=due are waiting past their time (the backlog), state=scheduled are due later. Counted at most every 10 s.");
    }

    static readonly Func<ILogger, long, int?, int, IDisposable?> DeliveryScope =
        LoggerMessage.DefineScope<long, int?, int>("Delivery {DeliveryId} (message {MessageId}, company {CompanyId})");

    /// <summary>Every log line written while an item is handled (the provider's included) names it.</summary>
    public static IDisposable? LogScope(ILogger logger, OutboxItem item) => DeliveryScope(logger, item.Id, item.MessageId, item.CompanyId);

    /// <summary>A span for one dispatcher round of a lane that found work; null when nobody listens.</summary>
    public static Activity? StartRound(string kind, Lane lane, int items, string instance)
    {
        var activity = Traces.StartActivity($"outbox {kind}");
        activity?.SetTag("casewire.outbox.lane", lane.Name);
        activity?.SetTag("casewire.outbox.items", items);
        activity?.SetTag("casewire.instance", instance);
        return activity;
    }

    /// <summary>A span for one provider call.</summary>
    public static Activity? StartSend(OutboxItem item, string provider)
    {
        var activity = Traces.StartActivity("outbox send");
        if (activity is null) return null;
        activity.SetTag("casewire.delivery.id", item.Id);
        activity.SetTag("casewire.message.id", item.MessageId);
        activity.SetTag("casewire.company.id", item.CompanyId);
        activity.SetTag("casewire.channel", ChannelName(item.Channel));
        activity.SetTag("casewire.provider", provider);
        activity.SetTag("casewire.attempt", item.Attempts);
        return activity;
    }

    /// <summary>Closes a send span with its outcome (and the provider's error code on failure).</summary>
    public static void EndSend(Activity? activity, SendResult result)
    {
        if (activity is null) return;
        activity.SetTag("casewire.outcome", result.Outcome switch
        {
            SendOutcome.Sent => "sent",
            SendOutcome.Transient => "transient",
            SendOutcome.Ambiguous => "ambiguous",
            _ => "permanent",
        });
        if (result.Outcome != SendOutcome.Sent)
        {
            activity.SetTag("casewire.error.code", result.ErrorCode);
            activity.SetStatus(ActivityStatusCode.Error, result.ErrorCode);
        }
    }

    /// <summary>Counts one delivery outcome.</summary>
    public void Count(OutboxItem item, string provider, string outcome) =>
        _deliveries.Add(1,
            new KeyValuePair<string, object?>("channel", ChannelName(item.Channel)),
            new KeyValuePair<string, object?>("provider", provider),
            new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Records how late a sent item left, from its due time to the provider call.</summary>
    public void Lateness(OutboxItem item, DateTimeOffset sentAt) =>
        _lateness.Record(Math.Max(0, (sentAt - item.DueAt).TotalSeconds),
            new KeyValuePair<string, object?>("channel", ChannelName(item.Channel)));

    static string ChannelName(Channel channel) => channel switch
    {
        Channel.Sms => "sms",
        Channel.Webhook => "webhook",
        _ => "email",
    };

    /// <summary>The last outbox count, counted again in the background when older than <see cref="DepthRefresh"/>.</summary>
    // A scrape never waits for the database, and never queries it twice in 10 s.
    IEnumerable<Measurement<long>> ObserveDepth()
    {
        var now = _time.GetUtcNow();
        var depth = _depth;
        if ((depth is null || now - depth.CountedAt >= DepthRefresh) && Interlocked.CompareExchange(ref _counting, 1, 0) == 0)
            DepthCounting = CountDepthAsync(now);
        if (depth is null) yield break; // not counted yet: say nothing rather than a false 0
        yield return new Measurement<long>(depth.Due, new KeyValuePair<string, object?>("state", "due"));
        yield return new Measurement<long>(depth.Scheduled, new KeyValuePair<string, object?>("state", "scheduled"));
    }

    /// <summary>Counts pending items (both counts use the partial index on pending items' AvailableAt).</summary>
    internal async Task CountDepthAsync(DateTimeOffset now)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
            var due = await db.OutboxItems.LongCountAsync(o => o.Status == DeliveryStatus.Pending && o.AvailableAt <= now);
            var scheduled = await db.OutboxItems.LongCountAsync(o => o.Status == DeliveryStatus.Pending && o.AvailableAt > now);
            _depth = new Depth(due, scheduled, now);
        }
        catch (Exception e)
        {
            // Shutting down, or the database is away: keep the last count, try again at the next scrape.
            _logger.LogDebug(e, "Could not count the outbox depth");
        }
        finally
        {
            Volatile.Write(ref _counting, 0);
        }
    }
}
