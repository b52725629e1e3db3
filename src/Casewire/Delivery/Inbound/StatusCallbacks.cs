using System.Globalization;
using System.Net;
using Casewire.Data;
using Casewire.Delivery.Webhooks;
using Casewire.Model;
using Casewire.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery.Inbound;

/// <summary>
/// <c>POST /webhooks/twilio/status</c> (SPEC §9): Twilio reports a text's progress
/// (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status). A delivery only
/// moves forward: a late "sent" never undoes "delivered". A move raises <c>message.status_changed</c>
/// in the same transaction.
/// </summary>
static class StatusCallbacks
{
    static readonly DeliveryStatus[] BeforeSent = [DeliveryStatus.Pending, DeliveryStatus.Sending];
    static readonly DeliveryStatus[] BeforeOutcome = [DeliveryStatus.Pending, DeliveryStatus.Sending, DeliveryStatus.Sent];

    sealed record Delivery(long Id, int? MessageId, int CompanyId, string To, DeliveryStatus Status, string? ProviderMessageId);

    public static async Task<NoContent> ReceiveAsync(
        HttpRequest request, CasewireDb db, WebhookEvents webhooks, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(StatusCallbacks));
        var form = await request.ReadFormAsync(ct);
        var sid = form["MessageSid"].ToString();
        var status = form["MessageStatus"].ToString().ToLowerInvariant();
        var deliveryId = long.TryParse(request.Query["d"], NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : (long?)null;

        var delivery = await FindAsync(db, deliveryId, sid, ct);
        if (delivery is null)
        {
            // Twilio does not retry status callbacks: answering an error would only fill its debugger.
            logger.LogWarning("Status callback {Status} for unknown message {Sid} (delivery {DeliveryId})", status, sid, deliveryId);
            return TypedResults.NoContent();
        }

        var now = time.GetUtcNow().TruncateToMilliseconds();
        var providerId = string.IsNullOrEmpty(sid) ? null : sid;
        var items = db.OutboxItems.Where(o => o.Id == delivery.Id);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // One conditional UPDATE: the dispatcher may be saving this item right now (Status is its
        // concurrency token, so it keeps our newer status when it notices).
        var moved = status switch
        {
            "sent" => await items.Where(o => BeforeSent.Contains(o.Status)).ExecuteUpdateAsync(s => s
                .SetProperty(o => o.Status, DeliveryStatus.Sent)
                .SetProperty(o => o.SentAt, o => o.SentAt ?? now)
                .SetProperty(o => o.ProviderMessageId, o => o.ProviderMessageId ?? providerId)
                .SetProperty(o => o.LeaseOwner, (string?)null)
                .SetProperty(o => o.LeaseExpiresAt, (DateTimeOffset?)null), ct),
            "delivered" or "read" => await items.Where(o => BeforeOutcome.Contains(o.Status)).ExecuteUpdateAsync(s => s
                .SetProperty(o => o.Status, DeliveryStatus.Delivered)
                .SetProperty(o => o.DeliveredAt, now)
                .SetProperty(o => o.ProviderMessageId, o => o.ProviderMessageId ?? providerId)
                .SetProperty(o => o.LeaseOwner, (string?)null)
                .SetProperty(o => o.LeaseExpiresAt, (DateTimeOffset?)null), ct),
            "undelivered" or "failed" => await FailAsync(db, webhooks, items, delivery, form, status, now, ct),
            _ => 0, // queued, sending, accepted…: nothing we track
        };
        if (moved > 0)
        {
            await webhooks.DeliveryChangedAsync(delivery.Id, delivery.Status, ct);
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        logger.LogDebug("Status callback {Status} for delivery {DeliveryId} (message {MessageId}, company {CompanyId}, {Sid}): {Outcome}",
            status, delivery.Id, delivery.MessageId, delivery.CompanyId, sid, moved > 0 ? "recorded" : "no change");
        return TypedResults.NoContent();
    }

    static async Task<int> FailAsync(
        CasewireDb db, WebhookEvents webhooks, IQueryable<OutboxItem> items, Delivery delivery, IFormCollection form, string status, DateTimeOffset now,
        CancellationToken ct)
    {
        var code = form["ErrorCode"].ToString();
        int? twilioCode = int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null;
        var rule = FailureClassification.ForTwilio(twilioCode, HttpStatusCode.BadRequest);
        var message = form["ErrorMessage"].ToString() is { Length: > 0 } given ? given
            : twilioCode is not null && rule != FailureClassification.ForHttpStatus(HttpStatusCode.BadRequest) ? rule.Meaning // a code in the table
            : $"Twilio reported the text {status}.";
        if (message.Length > 1000) message = message[..1000];
        var errorCode = code.Length is > 0 and <= 50 ? code : status;

        var moved = await items.Where(o => BeforeOutcome.Contains(o.Status)).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Status, DeliveryStatus.Failed)
            .SetProperty(o => o.ErrorCode, errorCode)
            .SetProperty(o => o.ErrorMessage, message)
            .SetProperty(o => o.LeaseOwner, (string?)null)
            .SetProperty(o => o.LeaseExpiresAt, (DateTimeOffset?)null), ct);
        if (rule.OptsOut) // the carrier says the number unsubscribed: never text it again (SPEC §7)
        {
            await OptOuts.SetAsync(db, webhooks, delivery.CompanyId, delivery.To, active: true, "carrier", now, ct);
            await db.SaveChangesAsync(ct);
        }
        return moved;
    }

    /// <summary>By our delivery id (in the callback URL) when its provider id agrees, else by Twilio's message id.</summary>
    static async Task<Delivery?> FindAsync(CasewireDb db, long? deliveryId, string sid, CancellationToken ct)
    {
        var sms = db.OutboxItems.AsNoTracking().Where(o => o.Channel == Channel.Sms);
        if (deliveryId is { } id)
        {
            var byId = await sms.Where(o => o.Id == id)
                .Select(o => new Delivery(o.Id, o.MessageId, o.CompanyId, o.To, o.Status, o.ProviderMessageId)).FirstOrDefaultAsync(ct);
            if (byId is not null && (byId.ProviderMessageId is null || sid.Length == 0 || byId.ProviderMessageId == sid)) return byId;
        }
        if (sid.Length == 0) return null;
        return await sms.Where(o => o.ProviderMessageId == sid)
            .Select(o => new Delivery(o.Id, o.MessageId, o.CompanyId, o.To, o.Status, o.ProviderMessageId)).FirstOrDefaultAsync(ct);
    }
}
