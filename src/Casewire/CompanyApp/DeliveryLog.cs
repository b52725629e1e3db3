using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp;

/// <summary>
/// The delivery log (SPEC §8): every outbound delivery (<see cref="OutboxItem"/>) and every inbound
/// message of one company in one newest-first list. Each side is read newest first by its own id (the
/// company-and-id indexes) and the two are merged by time; the cursor remembers the last id shown of each
/// side, so a page never needs OFFSET and nothing is skipped or shown twice when new rows arrive. Webhook
/// calls are the integration's traffic, not deliveries to clients: they have their own log (<c>webhook log</c>).
/// </summary>
static class DeliveryLog
{
    public const int PageSize = 50;

    /// <summary>Statuses a filter may ask for: the dashboard's queued and scheduled, the delivery statuses, and received (inbound).</summary>
    public static readonly string[] Statuses =
        ["queued", "scheduled", "sent", "delivered", "failed", "suppressed", "canceled", "superseded", "expired", "received"];

    /// <summary>Channels a filter may ask for: texts and emails out, texts and portal replies in.</summary>
    public static readonly string[] Channels = ["sms", "email", "portal"];

    /// <summary>What the staff member asked for; every part optional. <see cref="Until"/> is exclusive.</summary>
    public sealed record Filter(string? Status, string? Channel, MessageDirection? Direction, DateTimeOffset? From, DateTimeOffset? Until, string? Search);

    public sealed record Row(
        MessageDirection Direction, long Id, DateTimeOffset At, string Status, string Channel, string Counterpart, string? Kind,
        int? ProjectId, string? ProjectName, string Text, DateTimeOffset? DueAt, DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt,
        int Attempts, string? ProviderId, string? ErrorCode, string? ErrorMessage);

    /// <summary>The last outbound delivery id and inbound message id already shown (long.MaxValue: none yet).</summary>
    public readonly record struct Cursor(long Outbound, long Inbound)
    {
        public static readonly Cursor Start = new(long.MaxValue, long.MaxValue);

        public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"v1:{Outbound}:{Inbound}")));

        public static bool TryDecode(string? text, out Cursor cursor)
        {
            cursor = Start;
            if (string.IsNullOrEmpty(text)) return true;
            if (text.Length > 100) return false;
            try
            {
                var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split(':');
                if (parts is not ["v1", var o, var i]
                    || !long.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out var outbound)
                    || !long.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out var inbound)) return false;
                cursor = new Cursor(outbound, inbound);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }

    public sealed record Page(IReadOnlyList<Row> Rows, Cursor? Next);

    public static async Task<Page> ReadAsync(CasewireDb db, int companyId, Filter filter, Cursor after, DateTimeOffset now, CancellationToken ct)
    {
        var outbound = filter.Direction != MessageDirection.Inbound && filter.Status != "received" && filter.Channel != "portal"
            ? await OutboundAsync(db, companyId, filter, after.Outbound, now, ct)
            : [];
        var inbound = filter.Direction != MessageDirection.Outbound && filter.Status is null or "received" && filter.Channel != "email"
            ? await InboundAsync(db, companyId, filter, after.Inbound, ct)
            : [];

        // Merge the two newest-first runs by time; each side's shown rows stay a prefix of its own order.
        var rows = new List<Row>(PageSize);
        int o = 0, i = 0;
        while (rows.Count < PageSize && (o < outbound.Count || i < inbound.Count))
        {
            var takeOutbound = i >= inbound.Count || (o < outbound.Count && outbound[o].At >= inbound[i].At);
            rows.Add(takeOutbound ? outbound[o++] : inbound[i++]);
        }
        var more = o < outbound.Count || i < inbound.Count;
        var next = new Cursor(
            rows.LastOrDefault(r => r.Direction == MessageDirection.Outbound)?.Id ?? after.Outbound,
            rows.LastOrDefault(r => r.Direction == MessageDirection.Inbound)?.Id ?? after.Inbound);
        return new Page(rows, more ? next : null);
    }

    static async Task<List<Row>> OutboundAsync(CasewireDb db, int companyId, Filter filter, long before, DateTimeOffset now, CancellationToken ct)
    {
        var items = db.OutboxItems.AsNoTracking().ForCompany(companyId).Where(o => o.Id < before && o.Channel != Channel.Webhook);
        if (filter.Status == "queued")
            items = items.Where(o => o.Status == DeliveryStatus.Sending || (o.Status == DeliveryStatus.Pending && o.DueAt <= now));
        else if (filter.Status == "scheduled")
            items = items.Where(o => o.Status == DeliveryStatus.Pending && o.DueAt > now);
        else if (filter.Status is { } name)
        {
            var status = Enum.Parse<DeliveryStatus>(name, ignoreCase: true);
            items = items.Where(o => o.Status == status);
        }
        if (filter.Channel == "sms") items = items.Where(o => o.Channel == Channel.Sms);
        if (filter.Channel == "email") items = items.Where(o => o.Channel == Channel.Email);
        if (filter.From is { } from) items = items.Where(o => o.CreatedAt >= from);
        if (filter.Until is { } until) items = items.Where(o => o.CreatedAt < until);
        if (SearchTerm(filter.Search) is { } term) items = items.Where(o => o.To.ToLower().Contains(term));

        var rows = await items.OrderByDescending(o => o.Id).Take(PageSize + 1)
            .Select(o => new
            {
                o.Id, o.CreatedAt, o.Status, o.Channel, o.To, Kind = (MessageKind?)o.Message!.Kind, ProjectId = o.Message.ProjectId,
                ProjectName = db.Projects.Where(p => p.Id == o.Message.ProjectId).Select(p => p.Name).FirstOrDefault(),
                o.Body, o.DueAt, o.SentAt, o.DeliveredAt, o.Attempts, o.ProviderMessageId, o.ErrorCode, o.ErrorMessage,
            })
            .ToListAsync(ct);
        return rows.Select(r => new Row(MessageDirection.Outbound, r.Id, r.CreatedAt, Display.Status(r.Status, r.DueAt, now),
            Display.Channel(r.Channel), r.To, r.Kind is { } kind ? Display.Kind(kind) : null, r.ProjectId, r.ProjectName, r.Body,
            r.DueAt, r.SentAt, r.DeliveredAt, r.Attempts, r.ProviderMessageId, r.ErrorCode, r.ErrorMessage)).ToList();
    }

    static async Task<List<Row>> InboundAsync(CasewireDb db, int companyId, Filter filter, long after, CancellationToken ct)
    {
        // Message ids are ints: compare with an int, so the database keeps using the index.
        var before = (int)Math.Min(after, int.MaxValue);
        var messages = db.Messages.AsNoTracking()
            .ForCompany(companyId).Where(m => m.Direction == MessageDirection.Inbound && m.Id < before);
        // A text comes from a number; a portal reply from no number at all.
        if (filter.Channel == "sms") messages = messages.Where(m => m.FromAddress != null);
        if (filter.Channel == "portal") messages = messages.Where(m => m.FromAddress == null);
        if (filter.From is { } from) messages = messages.Where(m => m.CreatedAt >= from);
        if (filter.Until is { } until) messages = messages.Where(m => m.CreatedAt < until);
        if (SearchTerm(filter.Search) is { } term)
            messages = messages.Where(m => m.FromAddress!.ToLower().Contains(term) || m.AuthorName.ToLower().Contains(term));

        var rows = await messages.OrderByDescending(m => m.Id).Take(PageSize + 1)
            .Select(m => new
            {
                m.Id, m.CreatedAt, m.FromAddress, m.AuthorName, m.Kind, m.ProjectId,
                ProjectName = db.Projects.Where(p => p.Id == m.ProjectId).Select(p => p.Name).FirstOrDefault(),
                m.Text, m.ProviderMessageId,
            })
            .ToListAsync(ct);
        return rows.Select(r => new Row(MessageDirection.Inbound, r.Id, r.CreatedAt, "received", r.FromAddress is null ? "portal" : "SMS",
            r.FromAddress is null ? r.AuthorName : $"{r.AuthorName} ({r.FromAddress})", Display.Kind(r.Kind), r.ProjectId, r.ProjectName,
            r.Text, null, null, null, 0, r.ProviderMessageId, null, null)).ToList();
    }

    /// <summary>
    /// What to look for in addresses, lower-cased. A phone number typed as people write it — (555) 123-4567 — is searched
    /// by its digits, which is how it appears inside the stored E.164 form (+15551234567).
    /// </summary>
    public static string? SearchTerm(string? search)
    {
        var text = search?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(text)) return null;
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        var phoneLike = digits.Length >= 3 && text.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '.' or '+');
        return phoneLike && !text.StartsWith('+') ? digits : phoneLike ? "+" + digits : text;
    }
}
