using Casewire.Delivery.Webhooks;
using Casewire.Model;

namespace Casewire.Delivery;

/// <summary>
/// The one place that tells a text from an email from a webhook call: per channel, which provider
/// takes an item, how it is sent and how, after a crash, the provider is asked whether it got it
/// (SPEC §7). The configured <see cref="ISmsSender"/> and <see cref="IEmailSender"/> and the
/// <see cref="WebhookSender"/> live here, not in the dispatcher.
/// </summary>
sealed class ChannelRouter
{
    readonly Route _sms, _email, _webhook;
    readonly ILogger<ChannelRouter> _logger;

    /// <summary>One channel's provider: its name, its send, its reconciliation and its per-sender budget.</summary>
    sealed record Route(
        string Provider,
        Func<OutboxItem, CancellationToken, Task<SendResult>> Send,
        Func<OutboxItem, DateTimeOffset, CancellationToken, Task<ReconcileResult>> Reconcile,
        Func<double?> MessagesPerSecond);

    public ChannelRouter(ISmsSender sms, IEmailSender email, WebhookSender webhook, ILogger<ChannelRouter> logger)
    {
        _logger = logger;
        _sms = new Route(sms.Name,
            (item, ct) => sms.SendAsync(ToSms(item), ct),
            (item, startedAt, ct) => sms.ReconcileAsync(ToSms(item), startedAt, ct),
            () => sms.MessagesPerSecond);
        _email = new Route(email.Name,
            (item, ct) => email.SendAsync(ToEmail(item), ct),
            (item, startedAt, ct) => email.ReconcileAsync(ToEmail(item), startedAt, ct),
            () => null);
        _webhook = new Route(WebhookSender.Name,
            webhook.SendAsync,
            // A receiver cannot be asked; it de-duplicates by webhook-id (at least once, README "Webhooks").
            (_, _, _) => Task.FromResult(new ReconcileResult(ReconcileOutcome.NotFound)),
            () => null); // not rate-shaped
    }

    Route For(OutboxItem item) => item.Channel switch
    {
        Channel.Sms => _sms,
        Channel.Webhook => _webhook,
        _ => _email,
    };

    public string SmsProvider => _sms.Provider;
    public string EmailProvider => _email.Provider;

    /// <summary>The provider's name, as metrics and spans show it.</summary>
    public string ProviderFor(OutboxItem item) => For(item).Provider;

    /// <summary>Each sender number's budget for the item's provider (SPEC §7), or null when it is not rate-shaped.</summary>
    public double? MessagesPerSecondFor(OutboxItem item) => For(item).MessagesPerSecond();

    /// <summary>Calls the item's provider, in a log scope and a span that name the item. A provider that throws is a transient failure.</summary>
    public async Task<SendResult> SendAsync(OutboxItem item, CancellationToken ct)
    {
        using var scope = DeliveryMetrics.LogScope(_logger, item);
        var route = For(item);
        using var span = DeliveryMetrics.StartSend(item, route.Provider);
        SendResult result;
        try
        {
            result = await route.Send(item, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A provider that throws is a bug or an outage: retry like any transient failure.
            _logger.LogWarning(e, "Provider failed on delivery {DeliveryId} (message {MessageId}, company {CompanyId})",
                item.Id, item.MessageId, item.CompanyId);
            result = new SendResult(SendOutcome.Transient, ErrorCode: "exception", ErrorMessage: e.Message);
        }
        DeliveryMetrics.EndSend(span, result);
        return result;
    }

    /// <summary>Asks the item's provider whether an attempt started at <paramref name="startedAt"/> reached it; Unknown when it cannot be asked now.</summary>
    public async Task<ReconcileResult> ReconcileAsync(OutboxItem item, DateTimeOffset startedAt, CancellationToken ct)
    {
        try
        {
            return await For(item).Reconcile(item, startedAt, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Could not reconcile delivery {DeliveryId} (message {MessageId}, company {CompanyId}); will ask again",
                item.Id, item.MessageId, item.CompanyId);
            return new ReconcileResult(ReconcileOutcome.Unknown);
        }
    }

    static OutgoingSms ToSms(OutboxItem item) => new(item.Id, item.MessageId, item.To, item.From, item.Body);

    static OutgoingEmail ToEmail(OutboxItem item) =>
        new(item.Id, item.MessageId, item.To, item.From, item.Subject ?? "A message about your case", item.Body, item.CalendarIcs);
}
