using Casewire.Data;
using Casewire.Delivery.Webhooks;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Delivery;

/// <summary>A claimed item on its way to its provider, with its attempt (saved once, with the outcome).</summary>
sealed record Send(OutboxItem Item, DeliveryAttempt Attempt);

/// <summary>
/// What happens to each claimed item before any provider is called: one whose moment passed
/// expires, a text to an opted-out number is suppressed, a webhook call is canceled or waits with its
/// endpoint, a text over its sender's budget waits its turn (SPEC §7); the rest are sent.
/// </summary>
sealed class SendDecisions(
    ChannelRouter channels, WebhookDeliveries webhooks, DeliveryMetrics metrics, IOptions<DeliveryOptions> options)
{
    /// <summary>Why a claimed item is not sent now: it ends here, or it waits.</summary>
    abstract record Hold;
    /// <summary>Ends as <paramref name="Status"/>, counted in the metrics as <paramref name="Outcome"/>.</summary>
    sealed record End(DeliveryStatus Status, string Code, string Message, string Outcome) : Hold;
    sealed record Wait(DateTimeOffset Until) : Hold;

    /// <summary>
    /// Decides per claimed item; returns the items to send, each with its attempt, and the round's view
    /// of the webhook endpoints of its calls (their health is recorded with the outcomes).
    /// </summary>
    public async Task<(List<Send> Sends, WebhookDeliveries.Round Endpoints)> DecideAsync(
        CasewireDb db, List<OutboxItem> claimed, DateTimeOffset now, CancellationToken ct)
    {
        var endpoints = await webhooks.StartRoundAsync(db, claimed, ct);
        var optedOut = await OptedOutAsync(db, claimed, ct);
        var holds = claimed.ToDictionary(item => item, item => HoldFor(item, optedOut, endpoints, now));
        var slots = await SenderSlotsAsync(db, claimed.Where(item => holds[item] is null), now, ct);
        var sends = new List<Send>(claimed.Count);
        var deferredPerSender = new Dictionary<string, int>();
        foreach (var item in claimed)
        {
            var hold = holds[item] ?? Turn(item, slots, deferredPerSender);
            if (hold is null)
            {
                var attempt = new DeliveryAttempt { OutboxItemId = item.Id, Number = item.Attempts, Instance = options.Value.Instance, StartedAt = now };
                sends.Add(new Send(item, attempt));
                continue;
            }
            item.Unclaim(); // counted by the claim, never made
            switch (hold)
            {
                case End end:
                    item.Finish(end.Status, end.Code, end.Message);
                    metrics.Count(item, channels.ProviderFor(item), end.Outcome);
                    break;
                case Wait wait:
                    item.Release(wait.Until);
                    break;
            }
        }
        return (sends, endpoints);
    }

    /// <summary>
    /// A second look, just before the instant, at items decided ahead of it (a burst claimed early, SPEC §7): one a
    /// request ended meanwhile (its row's expiry moved to the ending, <c>CasewireDb</c>) or whose number opted out is
    /// not sent after all. Returns the sends that still go.
    /// </summary>
    public async Task<List<Send>> RecheckAsync(CasewireDb db, List<Send> sends, DateTimeOffset at, CancellationToken ct)
    {
        if (sends.Count == 0) return sends;
        var ids = sends.Select(s => s.Item.Id).ToList();
        var rows = await db.OutboxItems.Where(o => EF.Parameter(ids).Contains(o.Id)).Select(o => new { o.Id, o.ExpiresAt, o.ErrorCode }).ToDictionaryAsync(o => o.Id, ct);
        var optedOut = await OptedOutAsync(db, sends.Select(s => s.Item).ToList(), ct);
        var still = new List<Send>(sends.Count);
        foreach (var send in sends)
        {
            var item = send.Item;
            var row = rows.GetValueOrDefault(item.Id);
            var end = row?.ExpiresAt is { } expires && expires <= at
                ? EndedAhead(row.ErrorCode)
                : item.Channel == Channel.Sms && optedOut.Contains((item.CompanyId, item.To))
                    ? new End(DeliveryStatus.Suppressed, "opted-out", "The number opted out (STOP); texts to it are suppressed.", "suppressed")
                    : null;
            if (end is null)
            {
                still.Add(send);
                continue;
            }
            item.Unclaim();
            item.Finish(end.Status, end.Code, end.Message);
            metrics.Count(item, channels.ProviderFor(item), end.Outcome);
        }
        return still;
    }

    /// <summary>How an item claimed ahead ends when its expiry came before its instant: as a request ended it (<c>OutboxItem.End</c>), else expired.</summary>
    static End EndedAhead(string? code) =>
        code == OutboxItem.EndedAheadCode(DeliveryStatus.Canceled)
            ? new End(DeliveryStatus.Canceled, code, "Canceled before its time came.", "canceled")
            : code == OutboxItem.EndedAheadCode(DeliveryStatus.Superseded)
                ? new End(DeliveryStatus.Superseded, code, "Replaced by a newer message before its time came.", "canceled")
                : new End(DeliveryStatus.Expired, "expired", "Its moment passed before it could be sent.", "expired");

    /// <summary>Why <paramref name="item"/> is not sent now, or null to send it.</summary>
    static Hold? HoldFor(OutboxItem item, HashSet<(int, string)> optedOut, WebhookDeliveries.Round endpoints, DateTimeOffset now)
    {
        if (item.ExpiresAt is { } expires && expires <= now)
            return new End(DeliveryStatus.Expired, "expired", "Its moment passed before it could be sent.", "expired");
        if (item.Channel == Channel.Sms && optedOut.Contains((item.CompanyId, item.To)))
            return new End(DeliveryStatus.Suppressed, "opted-out", "The number opted out (STOP); texts to it are suppressed.", "suppressed");
        if (item.Channel == Channel.Webhook)
        {
            // Not rate-shaped and never in a delivery window; held back only by its endpoint's state.
            switch (endpoints.Decide(item, now))
            {
                case WebhookDeliveries.Decision.Cancel cancel:
                    return new End(DeliveryStatus.Canceled, cancel.Code, cancel.Message, "canceled");
                case WebhookDeliveries.Decision.Defer defer:
                    return new Wait(defer.Until);
            }
        }
        return null;
    }

    /// <summary>The sender budget's slots for the rate-shaped items about to be sent, taken at once for the round.</summary>
    async Task<Dictionary<string, SenderBudgets.Slots>> SenderSlotsAsync(CasewireDb db, IEnumerable<OutboxItem> toSend, DateTimeOffset now,
        CancellationToken ct)
    {
        var wanted = new Dictionary<string, (int Wanted, double PerSecond)>();
        foreach (var item in toSend)
        {
            if (channels.MessagesPerSecondFor(item) is not { } perSecond) continue;
            var sender = Sender(item);
            wanted[sender] = (wanted.GetValueOrDefault(sender).Wanted + 1, perSecond);
        }
        return await SenderBudgets.TakeAsync(db, wanted, now, ct);
    }

    /// <summary>Null when the item has a send slot (or needs none); else when its turn comes.</summary>
    Wait? Turn(OutboxItem item, Dictionary<string, SenderBudgets.Slots> slots, Dictionary<string, int> deferredPerSender)
    {
        if (channels.MessagesPerSecondFor(item) is not { } perSecond || !slots.TryGetValue(Sender(item), out var slot)) return null;
        var sender = Sender(item);
        if (slot.Granted > 0)
        {
            slots[sender] = slot with { Granted = slot.Granted - 1 };
            return null;
        }
        // Over the sender's budget: back in the queue at its turn, not failed (SPEC §7).
        var queued = deferredPerSender[sender] = deferredPerSender.GetValueOrDefault(sender) + 1;
        return new Wait(slot.NextFree + TimeSpan.FromSeconds((queued - 1) / perSecond));
    }

    static string Sender(OutboxItem item) => item.From ?? "default";

    static async Task<HashSet<(int, string)>> OptedOutAsync(CasewireDb db, List<OutboxItem> items, CancellationToken ct)
    {
        var texts = items.Where(i => i.Channel == Channel.Sms).ToList();
        if (texts.Count == 0) return [];
        var phones = texts.Select(i => i.To).Distinct().ToList();
        var companies = texts.Select(i => i.CompanyId).Distinct().ToList(); // with the phones: a look-up in the (company, phone) index
        var rows = await db.OptOuts.Where(o => EF.Parameter(companies).Contains(o.CompanyId) && EF.Parameter(phones).Contains(o.Phone) && o.Active)
            .Select(o => new { o.CompanyId, o.Phone }).ToListAsync(ct);
        return rows.Select(r => (r.CompanyId, r.Phone)).ToHashSet();
    }
}
